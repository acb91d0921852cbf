import { describe, expect, it } from "vitest";
import {
	etsForecast,
	etsForecastVariance,
	etsRun,
} from "../../src/inventory/forecast/ets.ts";
import { fitEts } from "../../src/inventory/forecast/ets-fit.ts";
import { intervalZ } from "../../src/inventory/forecast/select.ts";
import {
	randomWalkSeasonal40,
	trendSeasonal48,
} from "../fixtures/stox-series.ts";

// References: statsmodels 0.13.5, numpy 1.24.2, on `y = pd.Series(trendSeasonal48,
// index=pd.date_range("2020-01-01", periods=48, freq="MS"))`, with
//   m = ETSModel(y, error="add", trend=..., seasonal=..., initialization_method="known", initial_...=...)
//   r = m.smooth(params); r.fittedvalues; r.sse
//   r.get_prediction(start=48, end=48+h-1).summary_frame(alpha=0.05)  (analytic intervals, σ² = r.mse)
const FIT_TOL = 1e-6;
const z95 = intervalZ(0.95);

function expectClose(
	actual: readonly number[],
	expected: readonly number[],
	tol: number,
) {
	expect(actual.length).toBe(expected.length);
	for (const [i, v] of actual.entries())
		expect(Math.abs(v - (expected[i] ?? Number.NaN))).toBeLessThan(tol);
}

describe("additive Holt–Winters with fixed parameters and initial states", () => {
	// ETSModel(y, error="add", trend="add", seasonal="add", seasonal_periods=12,
	//   initialization_method="known", initial_level=200.0, initial_trend=2.0,
	//   initial_seasonal=[10, 25, 30, 20, 5, -10, -25, -30, -20, -5, 0, 0]).smooth([0.3, 0.05, 0.2])
	const fixed = {
		alpha: 0.3,
		beta: 0.05,
		gamma: 0.2,
		initial: {
			level: 200,
			trend: 2,
			seasonal: [10, 25, 30, 20, 5, -10, -25, -30, -20, -5, 0, 0],
		},
	};
	const fit = fitEts(trendSeasonal48, "AAA", 12, fixed);

	it("gives statsmodels' fitted values and SSE to 1e-6", () => {
		const f = fit.run.fitted;
		expectClose(
			[f[0], f[1], f[2], f[23], f[47]] as number[],
			[
				212.0, 228.99999999999997, 234.94999999999996, 239.71533504877377,
				317.57073550669554,
			],
			FIT_TOL,
		);
		expect(Math.abs(fit.run.sse - 19723.37642660627)).toBeLessThan(FIT_TOL);
		expect(Math.abs(fit.sigma2 - 410.9036755542973)).toBeLessThan(FIT_TOL);
	});

	it("gives statsmodels' 24 forecasts and 95 % prediction intervals to 1e-6", () => {
		const points = etsForecast(fit.run.final, fit.model, fit.sigma2, 24, z95);
		// summary_frame(alpha=0.05)["mean"], ["pi_lower"], ["pi_upper"]
		expectClose(
			points.map((p) => p.mean),
			[
				333.6861127887816, 345.74364662665585, 343.1698132041183,
				344.81298997113396, 340.0975017537824, 333.68690502122473,
				313.8166245355761, 301.9385435396264, 290.66421483821193,
				291.86532136633303, 314.8920824719351, 331.9046546118829,
				352.30539964731673, 364.362933485191, 361.78910006265346,
				363.4322768296691, 358.71678861231754, 352.30619187975987,
				332.43591139411126, 320.5578303981615, 309.28350169674707,
				310.48460822486817, 333.51136933047025, 350.52394147041804,
			],
			FIT_TOL,
		);
		expectClose(
			points.map((p) => p.lower ?? Number.NaN),
			[
				293.95615496205227, 303.6505109789565, 298.17662264730393,
				296.3978344912965, 287.76544019143563, 276.97595629074016,
				252.29930385659517, 235.2205989674454, 218.38189191687576,
				213.68205379475944, 230.49514035035682, 241.00202489984883,
				251.44293763716774, 256.66982780686374, 247.00114529580065,
				241.29900029442504, 228.999845264812, 214.77797161257863,
				186.8783368048992, 166.76132136602618, 147.04608391608892,
				139.61114486372767, 153.8128974479808, 161.81709733514853,
			],
			FIT_TOL,
		);
		expectClose(
			points.map((p) => p.upper ?? Number.NaN),
			[
				373.41607061551093, 387.8367822743552, 388.1630037609327,
				393.2281454509714, 392.4295633161292, 390.3978537517093,
				375.33394521455705, 368.65648811180733, 362.9465377595481,
				370.04858893790663, 399.28902459351343, 422.807284323917,
				453.1678616574657, 472.0560391635182, 476.57705482950627,
				485.56555336491317, 488.4337319598231, 489.8344121469411,
				477.99348598332335, 474.3543394302968, 471.5209194774052,
				481.3580715860087, 513.2098412129596, 539.2307856056875,
			],
			FIT_TOL,
		);
	});

	it("adds γ to the variance coefficient only at whole seasons (Hyndman et al. 2008, Table 6.1)", () => {
		const v = etsForecastVariance(
			{ kind: "AAA", period: 2, params: { alpha: 0.5, beta: 0.1, gamma: 0.2 } },
			1,
			4,
		);
		// c₁ = 0.5 + 0.1 = 0.6; c₂ = 0.5 + 0.2 + 0.2 = 0.9; c₃ = 0.5 + 0.3 = 0.8
		expectClose(
			v,
			[1, 1 + 0.36, 1 + 0.36 + 0.81, 1 + 0.36 + 0.81 + 0.64],
			1e-12,
		);
	});
});

describe("Holt and simple exponential smoothing with fixed parameters", () => {
	it("Holt gives statsmodels' fitted values, forecasts and intervals", () => {
		// ETSModel(y, error="add", trend="add", initialization_method="known",
		//   initial_level=210.0, initial_trend=2.0).smooth([0.4, 0.1])
		const fit = fitEts(trendSeasonal48, "AAN", 1, {
			alpha: 0.4,
			beta: 0.1,
			initial: { level: 210, trend: 2, seasonal: [] },
		});
		const f = fit.run.fitted;
		expectClose(
			[f[0], f[1], f[2], f[23], f[47]] as number[],
			[212.0, 214.0, 222.0, 207.3608599578289, 279.3176300281215],
			FIT_TOL,
		);
		expect(Math.abs(fit.run.sse - 33397.11790805309)).toBeLessThan(FIT_TOL);
		const points = etsForecast(fit.run.final, fit.model, fit.sigma2, 6, z95);
		expectClose(
			points.map((p) => p.mean),
			[
				289.16885970133865, 287.1471413858044, 285.12542307027013,
				283.1037047547359, 281.0819864392016, 279.06026812366736,
			],
			FIT_TOL,
		);
		expectClose(
			points.map((p) => p.lower ?? 0),
			[
				237.46988059035664, 229.34592555605568, 219.52677254909258,
				208.184766385674, 195.50494881424845, 181.65192779303635,
			],
			FIT_TOL,
		);
		expectClose(
			points.map((p) => p.upper ?? 0),
			[
				340.86783881232066, 344.94835721555313, 350.7240735914477,
				358.0226431237977, 366.6590240641548, 376.46860845429836,
			],
			FIT_TOL,
		);
	});

	it("simple exponential smoothing gives statsmodels' fitted values, forecasts and intervals", () => {
		// ETSModel(y, error="add", initialization_method="known", initial_level=210.0).smooth([0.4])
		const fit = fitEts(trendSeasonal48, "ANN", 1, {
			alpha: 0.4,
			initial: { level: 210, trend: 0, seasonal: [] },
		});
		const f = fit.run.fitted;
		expectClose(
			[f[0], f[1], f[2], f[23], f[47]] as number[],
			[210.0, 210.8, 216.88, 216.53205983229384, 285.9364730446481],
			FIT_TOL,
		);
		expect(Math.abs(fit.run.sse - 24030.334169963804)).toBeLessThan(FIT_TOL);
		const points = etsForecast(fit.run.final, fit.model, fit.sigma2, 6, z95);
		expectClose(
			points.map((p) => p.mean),
			Array(6).fill(295.1618838267889),
			FIT_TOL,
		);
		expectClose(
			points.map((p) => p.lower ?? 0),
			[
				251.30806910260293, 247.92987988453228, 244.7776866322373,
				241.81141562380517, 239.00159903392398, 236.32581734921231,
			],
			FIT_TOL,
		);
		expectClose(
			points.map((p) => p.upper ?? 0),
			[
				339.01569855097483, 342.3938877690455, 345.54608102134046,
				348.5123520297726, 351.3221686196538, 353.9979503043654,
			],
			FIT_TOL,
		);
	});
});

describe("fitting by least squares", () => {
	// statsmodels' optimum SSE on the same series, two ways (0.13.5):
	//   ETSModel(y, error="add", trend=..., seasonal=..., seasonal_periods=12, initialization_method="estimated").fit(disp=False).sse
	//   ExponentialSmoothing(y, trend=..., seasonal=..., seasonal_periods=12, initialization_method="estimated").fit().sse
	// Ours must not be worse than the better of the two by more than 1e-6 relative.
	const cases: [
		string,
		readonly number[],
		"AAA" | "AAN" | "ANN",
		number,
		number,
	][] = [
		[
			"trend-season Holt–Winters",
			trendSeasonal48,
			"AAA",
			1782.3888420325766,
			1648.5461780370015,
		],
		[
			"trend-season Holt",
			trendSeasonal48,
			"AAN",
			13446.905473762696,
			13444.80864613571,
		],
		[
			"trend-season SES",
			trendSeasonal48,
			"ANN",
			13645.77728843489,
			13645.000132223346,
		],
		[
			"random-walk Holt–Winters",
			randomWalkSeasonal40,
			"AAA",
			793.1591510638688,
			764.1198441346031,
		],
		[
			"random-walk Holt",
			randomWalkSeasonal40,
			"AAN",
			2621.458859854147,
			2621.196771149223,
		],
		[
			"random-walk SES",
			randomWalkSeasonal40,
			"ANN",
			2621.5014104998536,
			2621.50141037749,
		],
	];
	for (const [name, y, kind, etsSse, hwSse] of cases)
		it(`reaches an SSE no worse than statsmodels' on the ${name} fit`, () => {
			const fit = fitEts(y, kind, 12);
			expect(fit.run.sse).toBeLessThanOrEqual(
				Math.min(etsSse, hwSse) * (1 + 1e-6),
			);
			const { alpha, beta, gamma } = fit.model.params;
			expect(alpha).toBeGreaterThanOrEqual(0);
			expect(alpha).toBeLessThanOrEqual(1);
			expect(beta).toBeLessThanOrEqual(alpha + 1e-12);
			expect(gamma).toBeLessThanOrEqual(1 - alpha + 1e-12);
		});

	it("keeps fixed parameters and fits the rest", () => {
		const fit = fitEts(randomWalkSeasonal40, "AAA", 12, { alpha: 0.5 });
		expect(fit.model.params.alpha).toBe(0.5);
		expect(fit.run.sse).toBeGreaterThanOrEqual(
			fitEts(randomWalkSeasonal40, "AAA", 12).run.sse,
		);
	});

	it("chooses initial states that make the seasonal states sum to zero", () => {
		const fit = fitEts(trendSeasonal48, "AAA", 12);
		expect(
			Math.abs(fit.initial.seasonal.reduce((a, b) => a + b, 0)),
		).toBeLessThan(1e-9);
	});

	it("reproduces a fitted run from its own parameters and initial state", () => {
		const fit = fitEts(randomWalkSeasonal40, "AAA", 12);
		expect(
			etsRun(randomWalkSeasonal40, fit.model, fit.initial).sse,
		).toBeCloseTo(fit.run.sse, 9);
	});

	it("rejects a fixed parameter outside [0, 1] and a seasonal state list of the wrong length", () => {
		expect(() => fitEts(trendSeasonal48, "ANN", 1, { alpha: 1.5 })).toThrow(
			/fixed alpha must be a number from 0 to 1/,
		);
		expect(() =>
			fitEts(trendSeasonal48, "AAA", 12, {
				initial: { level: 1, trend: 0, seasonal: [1, 2] },
			}),
		).toThrow(/must number 12/);
	});
});
