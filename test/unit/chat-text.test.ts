import { describe, expect, it } from "vitest";
import { renderDiscord } from "../../src/chat/discord/markdown.ts";
import {
	escapeMarkup,
	markupToPlain,
	parseMarkup,
} from "../../src/chat/markup.ts";
import { escapeSlack, renderSlack } from "../../src/chat/slack/mrkdwn.ts";
import {
	clip,
	fenceSafe,
	markupLines,
	packLines,
	preLines,
	tableLines,
	truncate,
} from "../../src/chat/text.ts";
import { prng } from "./chat-fixtures.ts";

describe("the markup parser", () => {
	it("finds bold, italic, code and links, and leaves everything else as text", () => {
		expect(
			parseMarkup(
				"*Margin* is _down_ in `West`: <https://x.example/r|report> or <https://x.example>",
			),
		).toEqual([
			{ kind: "bold", text: "Margin" },
			{ kind: "text", text: " is " },
			{ kind: "italic", text: "down" },
			{ kind: "text", text: " in " },
			{ kind: "code", text: "West" },
			{ kind: "text", text: ": " },
			{ kind: "link", text: "report", url: "https://x.example/r" },
			{ kind: "text", text: " or " },
			{ kind: "link", text: "https://x.example", url: "https://x.example" },
		]);
	});

	it("treats <script>, <@U123>, javascript: links and snake_case as text", () => {
		const s =
			"<script> <@U123> <javascript:alert(1)|x> snake_case_name 2*3*4 * not bold *";
		expect(parseMarkup(s)).toEqual([{ kind: "text", text: s }]);
	});

	it("makes any string literal with escapeMarkup", () => {
		const r = prng(7);
		const alphabet = [
			"*",
			"_",
			"`",
			"<",
			">",
			"\\",
			"a",
			" ",
			"|",
			"https://x",
			"é",
		];
		for (let i = 0; i < 500; i++) {
			const s = Array.from(
				{ length: 1 + Math.floor(r() * 30) },
				() => alphabet[Math.floor(r() * alphabet.length)],
			).join("");
			expect(markupToPlain(escapeMarkup(s))).toBe(s);
			expect(
				parseMarkup(escapeMarkup(s)).every((sp) => sp.kind === "text"),
			).toBe(true);
		}
	});
});

describe("fitting text", () => {
	it("cuts at a code-point boundary, drops trailing spaces and adds an ellipsis", () => {
		expect(truncate("abc", 3)).toBe("abc");
		expect(truncate("abcd", 3)).toBe("ab…");
		expect(truncate("ab cd", 4)).toBe("ab…");
		expect(truncate("😀😀😀", 4)).toBe("😀…");
		expect(truncate("abc", 0)).toBe("");
	});

	it("measures the escaped text, so an entity is never cut in half", () => {
		expect(truncate("a&b&c", 10, escapeSlack)).toBe("a&amp;b…");
	});

	it("clips values without an ellipsis and without half an emoji", () => {
		expect(clip("abcdef", 4)).toBe("abcd");
		expect(clip("ab😀", 3)).toBe("ab");
	});

	it("splits a long line at spaces, keeping links whole", () => {
		const text = "aaaa <https://x.example|a long label> bbbb cccc";
		expect(markupLines(text, 40, renderSlack)).toEqual([
			"aaaa <https://x.example|a long label>",
			"bbbb cccc",
		]);
	});

	it("degrades a link longer than the limit to its label, and cuts a huge word hard", () => {
		const text = "aaaa <https://x.example|a long label> bbbb cccc";
		expect(markupLines(text, 30, renderSlack)).toEqual([
			"aaaa",
			"a long label",
			"bbbb cccc",
		]);
		expect(markupLines("x".repeat(25), 10, renderSlack)).toEqual([
			"x".repeat(10),
			"x".repeat(10),
			"x".repeat(5),
		]);
	});

	it("packs lines greedily and never past the limit", () => {
		expect(packLines(["aa", "bb", "cc", "dd"], 5)).toEqual([
			"aa\nbb",
			"cc\ndd",
		]);
		expect(packLines(["aaaaa", "b"], 5)).toEqual(["aaaaa", "b"]);
	});
});

describe("tables", () => {
	it("aligns columns, right-aligns numbers and pads short rows", () => {
		expect(
			tableLines({
				columns: ["Item", "Qty", "Note"],
				rows: [
					["Widget", "1,200", "ok"],
					["Gear", "-35"],
				],
			}),
		).toEqual({
			head: ["Item      Qty  Note", "------  -----  ----"],
			rows: ["Widget  1,200  ok", "Gear      -35"],
		});
	});

	it("flattens cells, cuts them to 40 characters and defuses backticks", () => {
		const { rows } = tableLines({
			columns: ["A"],
			rows: [["x\ny ```z```"], ["w".repeat(50)]],
		});
		expect(rows).toEqual(["x y ˋˋˋzˋˋˋ", `${"w".repeat(39)}…`]);
	});
});

describe("fixed-width text", () => {
	it("keeps indents and inner blank lines, drops trailing spaces and blank lines at the ends", () => {
		expect(preLines("\r\n \n  # r  \r\n\n  a\rb \n\n")).toEqual([
			"  # r",
			"",
			"  a",
			"b",
		]);
		expect(preLines(" \n\t")).toEqual([]);
		expect(preLines(undefined)).toEqual([]);
	});

	it("turns a run of three or more backticks into look-alikes, leaving shorter runs", () => {
		expect(fenceSafe("`a` ``b`` ```c``` ````")).toBe("`a` ``b`` ˋˋˋcˋˋˋ ˋˋˋˋ");
	});
});

describe("escaping helpers", () => {
	it("escapes only &, < and > for Slack", () => {
		expect(escapeSlack("a & <b> *c*")).toBe("a &amp; &lt;b&gt; *c*");
	});

	it("escapes Discord markdown inline everywhere and block syntax at line starts", () => {
		expect(renderDiscord(parseMarkup("1. a-b #1 > c\n- d\n-# e"))).toBe(
			"1\\. a-b #1 > c\n\\- d\n\\-# e",
		);
	});
});
