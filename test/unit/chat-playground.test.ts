import { describe, expect, it } from "vitest";
import { alertMessage } from "../../src/chat/alert.ts";
import type { ChatMessage } from "../../src/chat/message.ts";
import {
	escapeHtml,
	markupHtml,
	toHtml,
} from "../../src/chat/playground/html.ts";
import { isLoopbackHost } from "../../src/chat/playground/request.ts";
import { playgroundLine } from "../../src/chat/playground/routes.ts";
import { ALERT_ID, alertInput, at, ID } from "./chat-fixtures.ts";

describe("the alert message in the playground", () => {
	it("draws title, text, facts, chart, controls and small print, severity first", () => {
		const html = toHtml(alertMessage(alertInput()), {
			chartSrc: "/playground/files/20250310-091400-abcdef.png",
		});
		expect(html).toBe(
			[
				'<article class="msg" data-severity="high">',
				'<h2 class="msg-title">Gross margin West below 28%</h2>',
				'<div class="msg-text">Gross margin fell from 31.2% last week.</div>',
				'<dl class="msg-facts"><div><dt>Observed</dt><dd>13.8%</dd></div><div><dt>Rule</dt><dd>below 28%</dd></div></dl>',
				'<figure class="msg-chart"><img src="/playground/files/20250310-091400-abcdef.png" alt="Gross margin West, last 12 weeks"></figure>',
				'<div class="msg-actions">',
				`<button type="button" data-action-id="${ID.ack}" data-style="primary">Acknowledge</button>`,
				`<button type="button" data-action-id="${ID.real}">Real issue</button>`,
				`<button type="button" data-action-id="${ID.false}">False alarm</button>`,
				`<select data-action-id="${ID.snooze}" aria-label="Snooze"><option value="">Snooze ▾</option><option value="1h">1 hour</option><option value="4h">4 hours</option><option value="1d">1 day</option><option value="1w">1 week</option></select>`,
				"</div>",
				'<p class="msg-context"><span>🟠 High</span> · <span>Monitor: Gross margin West</span> · <span>query v3</span></p>',
				"</article>",
			].join(""),
		);
	});

	it("shows who acknowledged it under the title and drops Acknowledge", () => {
		const html = toHtml(
			alertMessage(
				alertInput({
					chart: undefined,
					state: { acknowledged: { by: "ana", at: at("09:14") } },
				}),
			),
		);
		expect(html).toContain(
			'<p class="msg-status">Acknowledged by ana at 09:14 UTC</p>',
		);
		expect(html).not.toContain(ID.ack);
		expect(html).toContain(ID.real);
	});
});

describe("escaping in the playground", () => {
	const nasty = `<script>alert("x")</script> & 'co'`;

	it("escapes every plain-text field, attributes included", () => {
		const message: ChatMessage = {
			title: nasty,
			facts: [{ label: nasty, value: nasty }],
			table: { columns: [nasty], rows: [[nasty]] },
			chart: { filename: "c.png", alt: nasty },
			actions: [
				{
					kind: "select",
					id: ID.snooze,
					placeholder: nasty,
					options: [{ label: nasty, value: `"><img src=x>` }],
				},
			],
			context: [nasty],
			status: { label: nasty },
		};
		const html = toHtml(message, { chartSrc: `x" onerror="alert(1)` });
		expect(html).not.toMatch(/<script|<img src=x|" onerror/);
		expect(html).toContain(
			"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;",
		);
		expect(html).toContain('src="x&quot; onerror=&quot;alert(1)"');
		expect(html).toContain('value="&quot;&gt;&lt;img src=x&gt;"');
	});

	it("turns markup into tags and leaves anything else as text", () => {
		expect(
			markupHtml(
				'*Revenue* is _up_ in `west` <https://x.test/?a=1&b="2"|see "more" & co>\n<b>not a tag</b> \\*literal\\*',
			),
		).toBe(
			'<strong>Revenue</strong> is <em>up</em> in <code>west</code> <a href="https://x.test/?a=1&amp;b=&quot;2&quot;" rel="noopener noreferrer" target="_blank">see &quot;more&quot; &amp; co</a>\n&lt;b&gt;not a tag&lt;/b&gt; *literal*',
		);
	});

	it("never makes a link of a javascript: address", () => {
		expect(markupHtml("<javascript:alert(1)|click>")).toBe(
			"&lt;javascript:alert(1)|click&gt;",
		);
	});

	it("links a hosted chart instead of loading it, and names a chart it cannot show", () => {
		expect(
			toHtml({
				title: "t",
				chart: {
					filename: "c.png",
					alt: "A chart",
					url: "https://cdn.test/c.png",
				},
			}),
		).toContain(
			'<p class="msg-chart"><a href="https://cdn.test/c.png" rel="noopener noreferrer" target="_blank">Chart: A chart</a></p>',
		);
		expect(
			toHtml({ title: "t", chart: { filename: "c.png", alt: "A chart" } }),
		).toContain('<p class="msg-chart">Chart: A chart</p>');
	});

	it("pads short table rows and ignores extra cells", () => {
		const html = toHtml({
			title: "t",
			table: { columns: ["a", "b"], rows: [["1"], ["1", "2", "3"]] },
		});
		expect(html).toContain(
			"<tbody><tr><td>1</td><td></td></tr><tr><td>1</td><td>2</td></tr></tbody>",
		);
	});

	it("draws pre in a <pre>, escaped, spaces kept and markup left as typed", () => {
		expect(
			toHtml({
				title: "t",
				text: "*Up*",
				pre: "\r\nmetric   r\r\nrevenue  <b>&'\"*x*   \n\n",
			}),
		).toBe(
			[
				'<article class="msg">',
				'<h2 class="msg-title">t</h2>',
				'<div class="msg-text"><strong>Up</strong></div>',
				'<pre class="msg-pre">metric   r\nrevenue  &lt;b&gt;&amp;&#39;&quot;*x*</pre>',
				"</article>",
			].join(""),
		);
		expect(toHtml({ title: "t", pre: "  \n " })).toBe(
			'<article class="msg"><h2 class="msg-title">t</h2></article>',
		);
	});

	it("escapes the five HTML characters", () => {
		expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
	});
});

describe("the playground's command line and host checks", () => {
	it("reads a command the way Slack's listener does", () => {
		expect(playgroundLine("/correlate revenue customers")).toBe(
			"correlate revenue customers",
		);
		expect(playgroundLine("  /pulse   status --errors 3 ")).toBe(
			"pulse status --errors 3",
		);
		expect(playgroundLine("/erp-pulse segment champions")).toBe(
			"segment champions",
		);
		expect(playgroundLine("/help")).toBe("help");
		expect(playgroundLine("metric list")).toBe("metric list");
	});

	it("counts only loopback addresses as loopback", () => {
		for (const h of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"])
			expect(isLoopbackHost(h), h).toBe(true);
		for (const h of [
			"0.0.0.0",
			"::",
			"192.168.1.5",
			"localhost.evil.test",
			"example.com",
		])
			expect(isLoopbackHost(h), h).toBe(false);
	});

	it("keeps the alert id in every control", () => {
		expect(toHtml(alertMessage(alertInput())).split(ALERT_ID).length - 1).toBe(
			4,
		);
	});
});
