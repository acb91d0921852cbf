/**
 * Imported by the Discord adapters before @discordjs/rest and discord.js, so that a
 * `Set.prototype.toJSON` patched by vega-lite (charts loaded first) does not break their loader;
 * see src/charts/set-tojson.ts.
 */
import { tameSetToJson } from "../../charts/set-tojson.ts";

tameSetToJson();
