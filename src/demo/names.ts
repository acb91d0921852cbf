/** Name material for the demo ERP: people, customers, products; and the salesperson spelling variants. */
import type { Rng } from "./rng.ts";

/** Splits a "|"-separated list (kept on one line so the formatter leaves it compact). */
function words(list: string): readonly string[] {
	return list.split("|");
}

export const FIRST_NAMES = words(
	"John|Maria|David|Linda|Michael|Susan|Robert|Karen|James|Patricia|William|Jennifer|Richard|Angela|Thomas|Laura|Daniel|Rachel|Mark|Teresa|Steven|Denise|Kevin|Monica|Brian|Gloria|Gary|Heather|Eric|Kimberly|Scott|Melissa|Jason|Nicole|Gregory|Diane|Anthony|Sharon|Carlos|Priya|Wei|Aisha|Tomas|Ingrid|Rafael|Yolanda|Derek|Fiona|Marcus|Olga",
);

export const LAST_NAMES = words(
	"Smith|Johnson|Garcia|Miller|Davis|Rodriguez|Martinez|Hernandez|Lopez|Wilson|Anderson|Thomas|Taylor|Moore|Jackson|Martin|Lee|Thompson|White|Harris|Clark|Lewis|Robinson|Walker|Young|Allen|King|Wright|Scott|Torres|Nguyen|Hill|Flores|Green|Adams|Nelson|Baker|Hall|Rivera|Campbell|Mitchell|Carter|Roberts|Kowalski|Olsen|Brennan|Fischer|Okafor|Patel|Sullivan",
);

const PLACES = words(
	"Harbor|Lakeside|Riverbend|Oak Ridge|Maple Grove|Summit|Cedar Point|Pine Valley|Westfield|Northgate|Eastwood|Southport|Fairview|Brookside|Highland|Meadowbrook|Stonebridge|Willow Creek|Granite Falls|Silver Lake|Prairie View|Red Rock|Bay City|Clearwater|Hillcrest|Ironwood|Kingsport|Liberty|Midland|Newport|Parkside|Quarry Hill|Rosewood|Sunset|Timberline|Union|Valley Forge|Wheatland|Copper Canyon",
);

/** Name patterns per customer industry (index matches INDUSTRIES in catalog.ts). `{P}` place, `{S}` surname. */
const CUSTOMER_PATTERNS: readonly (readonly string[])[] = [
	words(
		"{S}'s Grill|{P} Bistro|{S}'s Kitchen|{P} Diner|{P} Cafe|{S} Pizzeria|{P} Taqueria|{P} Steakhouse",
	),
	words("{P} Inn|{P} Suites|{P} Hotel|{P} Lodge|{P} Resort & Spa"),
	words(
		"{P} Medical Center|{P} Family Clinic|{P} Senior Living|{S} Dental Group|{P} Rehab Center",
	),
	words(
		"{P} School District|{P} Academy|{P} Community College|{P} Elementary|St. {S} High School",
	),
	words(
		"{S} & {S} LLP|{S} Associates|{P} Partners|{P} Business Park|{S} Insurance Group",
	),
	words("{P} Market|{P} Grocers|{S} Hardware|{P} Outfitters|{P} Convenience"),
	words(
		"{P} Plastics|{P} Fabrication|{S} Components|{P} Industries|{S} Tool & Die",
	),
	words(
		"City of {P}|County of {P}|{P} Parks Department|{P} Water Authority|{P} Public Library",
	),
];
const LEGAL = ["", "", " Inc", " LLC", " Co", " Corp"] as const;

export function customerName(rng: Rng, industry: number): string {
	const patterns = CUSTOMER_PATTERNS[industry] ??
		CUSTOMER_PATTERNS[0] ?? ["{P}"];
	const legal = industry === 7 || industry === 3 ? "" : rng.pick(LEGAL);
	return (
		rng
			.pick(patterns)
			.replace("{P}", rng.pick(PLACES))
			.replace("{S}", rng.pick(LAST_NAMES))
			.replace("{S}", rng.pick(LAST_NAMES)) + legal
	);
}

/** Product stems per category (index matches CATEGORIES in catalog.ts), ERP-style upper case. */
const PRODUCT_STEMS: readonly (readonly string[])[] = [
	words(
		"NAPKIN DINNER 2PLY|TOWEL ROLL KRAFT|HOT CUP 12OZ|HOT CUP 16OZ|COLD CUP 20OZ|LID DOME|PLATE 9IN|BOWL 12OZ|STRAW WRAPPED|TISSUE BATH 2PLY|FORK MED WT|NAPKIN BEV",
	),
	words(
		"CLAMSHELL 9X9|DELI CONT 16OZ|DELI CONT 32OZ|FOIL PAN HALF|FILM WRAP 18IN|BAG T-SHIRT|BAG KRAFT #8|PIZZA BOX 14IN|SOUFFLE CUP 2OZ|CONT HINGED 6IN",
	),
	words(
		"DEGREASER CONC|SANITIZER QUAT|FLOOR CLEANER NEUT|GLASS CLEANER|HAND SOAP FOAM|CAN LINER 33GAL|CAN LINER 55GAL|MOP HEAD LOOP|DISINFECTANT WIPES|DISH DETERGENT|BLEACH 6PCT",
	),
	words(
		"GLOVE NITRILE L|GLOVE NITRILE M|GLOVE VINYL L|HAIRNET|APRON POLY|MASK 3PLY|SAFETY GLASSES|EAR PLUGS|HI-VIS VEST|FIRST AID REFILL",
	),
	words(
		"WATER SPRING 16.9OZ|COLA 12OZ CAN|COFFEE GROUND MED|TEA BAGS BLACK|JUICE ORANGE 10OZ|SPARKLING WATER|CREAMER LIQ|ENERGY DRINK 16OZ|SPORTS DRINK 20OZ",
	),
	words(
		"FLOUR ALL PURP 50LB|SUGAR GRAN 50LB|RICE LONG GRAIN|PASTA PENNE|OIL FRYER CLEAR|TOMATO DICED #10|BEANS BLACK #10|SALT KOSHER|CEREAL BOWL PK|SNACK CHIPS ASST",
	),
	words(
		"FRIES 3/8 CRINKLE|CHICKEN TENDERS|BEEF PATTY 4OZ|MIXED VEG|PIZZA DOUGH BALL|SHRIMP 21/25|ICE CREAM VAN|WAFFLE|EGG ROLL VEG",
	),
	words(
		"MILK 2PCT GAL|CHEESE CHEDDAR SHRD|BUTTER SOLID|EGGS LG LOOSE|YOGURT CUP ASST|CREAM HEAVY QT|CHEESE AMER SLICED|SOUR CREAM 5LB",
	),
	words(
		"PAN SHEET FULL|TONGS 12IN|CUTTING BOARD|THERMOMETER PROBE|HOTEL PAN 1/3|SCOOP 6OZ|DISPENSER SOAP|MOP BUCKET 35QT|SQUEEGEE 24IN|LADLE 8OZ",
	),
];
const BRANDS = words(
	"PROLINE|ECOPAK|VALUEMAX|HARBOR|KLEENPRO|CHEFSTAR|SUREGUARD|NORDIC|PRIMA|GREENLEAF",
);
const PACKS = words(
	"6/CS|12/CS|24/CS|500CT|1000CT|4/1GAL|2/5LB|BULK|100/BX|48/CS",
);

/** An item description, e.g. "ECOPAK HOT CUP 12OZ 1000CT". Callers make them unique. */
export function itemDescription(rng: Rng, category: number): string {
	const stems = PRODUCT_STEMS[category] ?? PRODUCT_STEMS[0] ?? ["ITEM"];
	return `${rng.pick(BRANDS)} ${rng.pick(stems)} ${rng.pick(PACKS)}`;
}

/**
 * The ways one salesperson's name is typed into invoice and quote text fields. Index 0 is the
 * canonical HR_SALESREP.RepName; a later normalisation step must merge the rest into it.
 */
export function repNameVariants(first: string, last: string): string[] {
	const full = `${first} ${last}`;
	return [
		full,
		`${first.charAt(0)}. ${last}`,
		`${last}, ${first}`,
		`${full.toLowerCase()} `,
		full.toUpperCase(),
	];
}

/**
 * How often each variant is used for one rep (weights, index-aligned with `repNameVariants`): the
 * canonical spelling dominates; each rep has its own subset of sloppy spellings (some have none).
 */
export function repVariantWeights(rng: Rng): number[] {
	const weights = [1, 0, 0, 0, 0];
	const sloppy = rng.int(0, 3);
	for (let k = 0; k < sloppy; k++)
		weights[rng.int(1, 4)] = rng.range(0.05, 0.25);
	return weights;
}

/**
 * The key a cleanup step would merge spellings on: first initial + surname, lower case
 * ("Smith, John", "J. Smith", "john smith " → "j smith"). Reps are generated so keys are unique.
 */
export function repNameKey(raw: string): string {
	let t = raw.trim().toLowerCase().replace(/\s+/g, " ");
	const comma = t.indexOf(",");
	if (comma >= 0)
		t = `${t.slice(comma + 1).trim()} ${t.slice(0, comma).trim()}`;
	const space = t.indexOf(" ");
	return `${t.charAt(0)} ${t.slice(space + 1)}`;
}
