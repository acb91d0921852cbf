// The playground page: messages arrive over Server-Sent Events (/playground/events) as entries
// whose `html` the server rendered and escaped (src/chat/playground/html.ts); commands and
// button clicks are JSON POSTs. Text from anywhere else (errors, notes) goes in as textContent.

const list = document.getElementById("messages");
const empty = document.getElementById("empty");
const form = document.getElementById("composer");
const input = document.getElementById("command");
const send = document.getElementById("send");
const connection = document.getElementById("connection");
const progress = document.getElementById("progress");

const TIME = new Intl.DateTimeFormat(undefined, {
	hour: "2-digit",
	minute: "2-digit",
	hourCycle: "h23",
});

/** Parses server-rendered HTML into its single top-level element. */
function fragment(html) {
	const t = document.createElement("template");
	t.innerHTML = html;
	return t.content.firstElementChild;
}

/**
 * Follows the newest message unless the reader has scrolled up to read: `following` is decided
 * by the reader's own scrolling, not re-measured after each append, so a chart that finishes
 * loading (the page grows under the reader) does not stop the page from following.
 */
let following = true;
const atBottom = () =>
	window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
const toBottom = () => window.scrollTo(0, document.body.scrollHeight);
let scrolling = false;
// While a command the reader sent is running, their earlier scrolling does not count: a scroll
// event still queued from before they pressed Enter would otherwise undo "the answer comes
// into view" (seen on a loaded machine: the reply landed off-screen).
let asking = false;
window.addEventListener("scroll", () => {
	if (!scrolling && !asking) following = atBottom();
});
function follow() {
	if (!following) return;
	scrolling = true;
	toBottom();
	requestAnimationFrame(() => {
		scrolling = false;
	});
}
// A chart that loads after its message grows the page: follow it.
document.addEventListener(
	"load",
	(event) => {
		if (event.target instanceof HTMLImageElement) follow();
	},
	true,
);

function keepAtBottom(change) {
	change();
	follow();
}

/** A message row: who/where/when above the server-rendered article. */
function row(meta, article) {
	const el = document.createElement("div");
	el.className = "entry";
	const p = document.createElement("p");
	p.className = "meta";
	p.textContent = meta;
	el.append(p, article);
	return el;
}

/** Adds an entry, or replaces the one with the same id in place (an edit). */
function upsert(entry) {
	empty.hidden = true;
	const meta = [
		`#${entry.channel}`,
		entry.thread ? "reply in thread" : "",
		TIME.format(new Date(entry.at)),
	]
		.filter(Boolean)
		.join(" · ");
	const el = row(meta, fragment(entry.html));
	el.dataset.messageId = entry.id;
	if (entry.thread) el.classList.add("reply");
	const old = list.querySelector(
		`.entry[data-message-id="${CSS.escape(entry.id)}"]`,
	);
	if (old) {
		const hadFocus = old.contains(document.activeElement);
		old.replaceWith(el);
		if (hadFocus) {
			el.tabIndex = -1;
			el.focus();
		}
		return;
	}
	keepAtBottom(() => list.append(el));
}

/** Something only this page sees, like Slack's "Only visible to you". */
function ephemeral(article) {
	empty.hidden = true;
	const el = row("Only visible to you", article);
	el.classList.add("ephemeral");
	const dismiss = document.createElement("button");
	dismiss.type = "button";
	dismiss.className = "dismiss";
	dismiss.textContent = "Dismiss";
	dismiss.addEventListener("click", () => el.remove());
	el.querySelector(".meta").append(" · ", dismiss);
	keepAtBottom(() => list.append(el));
}

/** A plain-text note as an ephemeral message. */
function note(text) {
	const article = document.createElement("article");
	article.className = "msg";
	const p = document.createElement("p");
	p.className = "msg-text";
	p.textContent = text;
	article.append(p);
	ephemeral(article);
}

async function post(url, body) {
	try {
		const res = await fetch(url, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify(body),
		});
		const json = await res.json().catch(() => ({}));
		return { ok: res.ok, status: res.status, body: json };
	} catch {
		return {
			ok: false,
			status: 0,
			body: { error: "The bot is not reachable." },
		};
	}
}

function failed(res) {
	note(res.body.error ?? `The bot answered HTTP ${res.status}.`);
}

form.addEventListener("submit", async (event) => {
	event.preventDefault();
	const text = input.value.trim();
	if (!text) return;
	send.disabled = true;
	progress.textContent = `Running ${text}…`;
	// The reader asked: whatever they were reading, the answer comes into view.
	following = true;
	asking = true;
	try {
		const res = await post("/playground/command", { text });
		send.disabled = false;
		progress.textContent = "";
		if (!res.ok) return failed(res);
		input.value = "";
		if (res.body.ephemeral) ephemeral(fragment(res.body.ephemeral));
		else if (res.body.entry) upsert(res.body.entry);
	} finally {
		asking = false;
	}
});

for (const hint of document.querySelectorAll("button.hint"))
	hint.addEventListener("click", () => {
		input.value = hint.dataset.command;
		input.focus();
	});

/** Sends a click (or a menu choice) on an alert control; the edit arrives as an entry. */
async function act(control, value) {
	const entry = control.closest(".entry");
	control.disabled = true;
	const res = await post("/playground/action", {
		actionId: control.dataset.actionId,
		...(value ? { value } : {}),
		...(entry?.dataset.messageId ? { messageId: entry.dataset.messageId } : {}),
	});
	control.disabled = false;
	if (!res.ok) return failed(res);
	if (res.body.entry) upsert(res.body.entry);
	if (!res.body.changed) note(res.body.note);
}

list.addEventListener("click", (event) => {
	const button = event.target.closest("button[data-action-id]");
	if (button) act(button);
});

list.addEventListener("change", (event) => {
	const menu = event.target.closest("select[data-action-id]");
	if (menu?.value) act(menu, menu.value);
});

function connect() {
	const events = new EventSource("/playground/events");
	events.addEventListener("entry", (e) => upsert(JSON.parse(e.data)));
	events.addEventListener("ready", () => {
		connection.dataset.state = "live";
		connection.textContent = "Live";
		// The replay of earlier messages is done: open at the newest one.
		follow();
	});
	events.addEventListener("error", () => {
		connection.dataset.state = "down";
		connection.textContent = "Disconnected; reconnecting…";
	});
}

connect();
