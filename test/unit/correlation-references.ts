/**
 * Reference values for the fixture pairs in correlation-fixtures.ts, computed once with
 * scipy 1.10.1, statsmodels 0.13.5 and numpy (x = PAIR.x, y = PAIR.y as numpy float arrays),
 * with the exact call beside each value. Tests compare against these; they never run Python.
 */

/** ROBUST: x = ROBUST.x, y = ROBUST.y. */
export const ROBUST_REF = {
	// scipy.stats.pearsonr(x, y)
	pearson: { r: 0.861113924060865, p: 1.6038794179668355e-11 },
	// scipy.stats.pearsonr(x, y).confidence_interval(0.95)
	ci: { lower: 0.7426902259331358, upper: 0.9273080134387535 },
	// scipy.stats.spearmanr(x, y)
	spearman: { r: 0.8214662723197403, p: 8.301960629961394e-10 },
	// scipy.stats.pearsonr(np.diff(x), np.diff(y))
	changes: { r: 0.8390295266301909, p: 3.073009736107621e-10 },
	// [scipy.stats.pearsonr(x[:-k], y[k:]) if k > 0 else scipy.stats.pearsonr(x[-k:], y[:k]) if k < 0 else scipy.stats.pearsonr(x, y) for k in range(-6, 7)]
	lagR: [
		0.031209584685058547, 0.34878822859991665, 0.1206140884015237,
		0.10242826149923605, -0.09833059206695269, 0.15362106401992956,
		0.861113924060865, 0.21826987286662658, -0.04473717383088277,
		0.09442694103476734, 0.06321326197330301, 0.3195986988107241,
		-0.15770337344253013,
	],
	lagP: [
		0.8699531805001357, 0.05447406021701122, 0.5108223828606735,
		0.5705695231781089, 0.5800864092087216, 0.37827752201928194,
		1.6038794179668355e-11, 0.20779229930974064, 0.8016373115511433,
		0.60118566710436, 0.7310679541058953, 0.07966694366124434,
		0.4052393616062342,
	],
	// statsmodels.tsa.stattools.acf(x, nlags=1, fft=False)[1], same for y
	r1x: 0.23871070532079555,
	r1y: 0.13612999369345857,
	// n*(1 - r1x*r1y)/(1 + r1x*r1y); 2*scipy.stats.t.sf(abs(r*np.sqrt((neff-2)/(1-r**2))), neff-2)
	nEff: 33.7339474825891,
	pEff: 7.680351350884695e-11,
	// scipy.stats.linregress(x, y): slope, intercept, rvalue**2, stderr
	regression: {
		slope: 1273.8337118108393,
		intercept: 15317.876523469517,
		rSquared: 0.7415171902115011,
		slopeStdErr: 128.98182005200135,
	},
	// statsmodels.tsa.stattools.acf(np.diff(x), nlags=12, fft=False)[12], same for y
	seasonalAcf: { x: -0.22243881730669937, y: -0.2150870969163799 },
	// scipy.stats.pearsonr(x[12:] - x[:-12], y[12:] - y[:-12])
	seasonalDifferences: { r: 0.8324944358203338, p: 4.523790686581704e-7 },
};
/** TREND: x = TREND.x, y = TREND.y. */
export const TREND_REF = {
	// scipy.stats.pearsonr(x, y)
	pearson: { r: 0.9865328011773289, p: 2.5345821863995566e-28 },
	// scipy.stats.pearsonr(x, y).confidence_interval(0.95)
	ci: { lower: 0.9735286971863876, upper: 0.9931707078981639 },
	// scipy.stats.spearmanr(x, y)
	spearman: { r: 0.9855203057925985, p: 8.624998480510282e-28 },
	// scipy.stats.pearsonr(np.diff(x), np.diff(y))
	changes: { r: 0.11599160723854682, p: 0.5069851607697713 },
	// [scipy.stats.pearsonr(x[:-k], y[k:]) if k > 0 else scipy.stats.pearsonr(x[-k:], y[:k]) if k < 0 else scipy.stats.pearsonr(x, y) for k in range(-6, 7)]
	lagR: [
		0.9801465525021247, 0.9759640008315268, 0.9809527839767396,
		0.9750400413570978, 0.9800738032643276, 0.9831470720282289,
		0.9865328011773289, 0.9839119466124936, 0.9827302088686481,
		0.9772323250816279, 0.9773384319108851, 0.985927883234459,
		0.975660279090648,
	],
	lagP: [
		3.2067743538059337e-21, 9.731183182124857e-21, 6.579103188773667e-23,
		7.975564690559548e-22, 4.919074274543422e-24, 6.206498820375513e-26,
		2.5345821863995566e-28, 2.900389047780405e-26, 5.080400403994079e-25,
		1.9474900685501228e-22, 8.702538863949624e-22, 4.409942561754603e-24,
		5.4056412554550923e-20,
	],
	// statsmodels.tsa.stattools.acf(x, nlags=1, fft=False)[1], same for y
	r1x: 0.906399822151445,
	r1y: 0.8949924131761623,
	// n*(1 - r1x*r1y)/(1 + r1x*r1y); 2*scipy.stats.t.sf(abs(r*np.sqrt((neff-2)/(1-r**2))), neff-2)
	nEff: 3.75219005627715,
	pEff: 0.022169484571033873,
	// scipy.stats.linregress(x, y): slope, intercept, rvalue**2, stderr
	regression: {
		slope: 26.954662225193978,
		intercept: 2297.6107130045048,
		rSquared: 0.9732469677987869,
		slopeStdErr: 0.7664245577077602,
	},
	// statsmodels.tsa.stattools.acf(np.diff(x), nlags=12, fft=False)[12], same for y
	seasonalAcf: { x: -0.1755854031033855, y: 0.07010445437768413 },
	// scipy.stats.pearsonr(x[12:] - x[:-12], y[12:] - y[:-12])
	seasonalDifferences: { r: -0.047974072958388306, p: 0.8238426895900279 },
};
/** SEASONAL: x = SEASONAL.x, y = SEASONAL.y. */
export const SEASONAL_REF = {
	// scipy.stats.pearsonr(x, y)
	pearson: { r: 0.9343503246859858, p: 3.0411788148346316e-22 },
	// scipy.stats.pearsonr(x, y).confidence_interval(0.95)
	ci: { lower: 0.8852268411509624, upper: 0.9628628863364919 },
	// scipy.stats.spearmanr(x, y)
	spearman: { r: 0.9090810400043424, p: 4.12791279495513e-19 },
	// scipy.stats.pearsonr(np.diff(x), np.diff(y))
	changes: { r: 0.8152292425082792, p: 3.0359739368162652e-12 },
	// [scipy.stats.pearsonr(x[:-k], y[k:]) if k > 0 else scipy.stats.pearsonr(x[-k:], y[:k]) if k < 0 else scipy.stats.pearsonr(x, y) for k in range(-6, 7)]
	lagR: [
		-0.9440691250787222, -0.6578630349343235, -0.17799866708150783,
		0.3251733870003328, 0.7318228908718906, 0.9602567335192256,
		0.9343503246859858, 0.6797368480032083, 0.2635809811545018,
		-0.24870434630218777, -0.6965896917765427, -0.9561416450217284,
		-0.9392003499213969,
	],
	lagP: [
		7.066519712610958e-21, 1.637645071740999e-6, 0.24768983801837174,
		0.029290013294164117, 7.54824107046344e-9, 1.4132794397728288e-26,
		3.0411788148346316e-22, 1.4867197901926905e-7, 0.07673677311765031,
		0.09947361308116151, 1.5086021090525093e-7, 1.7669087514234868e-23,
		3.585428921563507e-20,
	],
	// statsmodels.tsa.stattools.acf(x, nlags=1, fft=False)[1], same for y
	r1x: 0.8506905621516601,
	r1y: 0.853623913345158,
	// n*(1 - r1x*r1y)/(1 + r1x*r1y); 2*scipy.stats.t.sf(abs(r*np.sqrt((neff-2)/(1-r**2))), neff-2)
	nEff: 7.61445903343002,
	pEff: 0.0010317909575170438,
	// scipy.stats.linregress(x, y): slope, intercept, rvalue**2, stderr
	regression: {
		slope: 2.211082737669515,
		intercept: 78.47387776948815,
		rSquared: 0.8730105292408068,
		slopeStdErr: 0.12433694543006987,
	},
	// statsmodels.tsa.stattools.acf(np.diff(x), nlags=12, fft=False)[12], same for y
	seasonalAcf: { x: 0.6704142569157867, y: 0.6547862944377268 },
	// scipy.stats.pearsonr(x[12:] - x[:-12], y[12:] - y[:-12])
	seasonalDifferences: { r: -0.08515401110159676, p: 0.621453661671747 },
};
/** UNRELATED: x = UNRELATED.x, y = UNRELATED.y. */
export const UNRELATED_REF = {
	// scipy.stats.pearsonr(x, y)
	pearson: { r: 0.014266181709179196, p: 0.9341852621671978 },
	// scipy.stats.pearsonr(x, y).confidence_interval(0.95)
	ci: { lower: -0.31574945834753604, upper: 0.3412027194044177 },
	// scipy.stats.spearmanr(x, y)
	spearman: { r: 0.010877960865087539, p: 0.9497934812285014 },
	// scipy.stats.pearsonr(np.diff(x), np.diff(y))
	changes: { r: 0.13468378816148932, p: 0.44047756836411617 },
	// [scipy.stats.pearsonr(x[:-k], y[k:]) if k > 0 else scipy.stats.pearsonr(x[-k:], y[:k]) if k < 0 else scipy.stats.pearsonr(x, y) for k in range(-6, 7)]
	lagR: [
		-0.24675442708196338, -0.05802945275428843, -0.003668903135086766,
		0.12963123189349535, -0.03859591821450978, -0.11215421060860568,
		0.014266181709179196, -0.09172076139158518, -0.22874859026316355,
		-0.018037822005106764, -0.1732160761344796, 0.010187104882858098,
		0.2709696335600175,
	],
	lagP: [
		0.18866564156086726, 0.7565013488376219, 0.9841002167961137,
		0.47213860965383414, 0.8284315133967275, 0.5212336455000944,
		0.9341852621671978, 0.6002594954676799, 0.1931679333243063,
		0.9206365326039078, 0.3430955966829623, 0.9566245615005591,
		0.1475177354259663,
	],
	// statsmodels.tsa.stattools.acf(x, nlags=1, fft=False)[1], same for y
	r1x: 0.10278369517096887,
	r1y: 0.2781554148635364,
	// n*(1 - r1x*r1y)/(1 + r1x*r1y); 2*scipy.stats.t.sf(abs(r*np.sqrt((neff-2)/(1-r**2))), neff-2)
	nEff: 33.99874692909426,
	pEff: 0.9361765881925628,
	// scipy.stats.linregress(x, y): slope, intercept, rvalue**2, stderr
	regression: {
		slope: 0.09310229200362995,
		intercept: 885.8608252791038,
		rSquared: 0.00020352394055931893,
		slopeStdErr: 1.1191001748446299,
	},
	// statsmodels.tsa.stattools.acf(np.diff(x), nlags=12, fft=False)[12], same for y
	seasonalAcf: { x: 0.3259873845133399, y: 0.010086625128695539 },
	// scipy.stats.pearsonr(x[12:] - x[:-12], y[12:] - y[:-12])
	seasonalDifferences: { r: 0.14112638488993068, p: 0.5106848957009682 },
};
/** TIES: x = TIES.x, y = TIES.y. */
export const TIES_REF = {
	// scipy.stats.pearsonr(x, y)
	pearson: { r: 0.9630223405221396, p: 5.116727264426274e-7 },
	// scipy.stats.pearsonr(x, y).confidence_interval(0.95)
	ci: { lower: 0.869893570035949, upper: 0.9898523069053496 },
	// scipy.stats.spearmanr(x, y)
	spearman: { r: 0.9730278778985655, p: 1.0744894965711273e-7 },
	// scipy.stats.pearsonr(np.diff(x), np.diff(y))
	changes: { r: 0.9492308748862753, p: 8.142168929133918e-6 },
	// [scipy.stats.pearsonr(x[:-k], y[k:]) if k > 0 else scipy.stats.pearsonr(x[-k:], y[:k]) if k < 0 else scipy.stats.pearsonr(x, y) for k in range(-6, 7)]
	lagR: [
		-0.23094010767585024, 0.024249487301974123, 0.2671054760808257,
		-0.3731012536223182, -0.37271321269192875, 0.06988565578146116,
		0.9630223405221396, 0.02149362312664301, -0.32376617571690913,
		-0.32445868381043524, 0.17009730222502492, -0.0711901785808609,
		-0.2593992629766037,
	],
	lagP: [
		0.6597482413575808, 0.9588448946362595, 0.522488291264313,
		0.32266558177542565, 0.28882097216176517, 0.8382152791080814,
		5.116727264426274e-7, 0.9499853051510377, 0.36144945006730145,
		0.3942925096114415, 0.6871659623044005, 0.8794498184120805,
		0.6196283314376623,
	],
	// statsmodels.tsa.stattools.acf(x, nlags=1, fft=False)[1], same for y
	r1x: -0.06499202551834131,
	r1y: 0.13080168776371306,
	// n*(1 - r1x*r1y)/(1 + r1x*r1y); 2*scipy.stats.t.sf(abs(r*np.sqrt((neff-2)/(1-r**2))), neff-2)
	nEff: 12.205774905275874,
	pEff: 3.8692877261433196e-7,
	// scipy.stats.linregress(x, y): slope, intercept, rvalue**2, stderr
	regression: {
		slope: 0.8373205741626795,
		intercept: 7.619617224880383,
		rSquared: 0.9274120283447397,
		slopeStdErr: 0.07407774114259975,
	},
};
