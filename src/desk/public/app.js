// The desk's page: plain JavaScript, no library (the page is a table, a few panels and a form; the
// server renders every bulletin and card). Live updates by Server-Sent Events; the table is paged, so
// that 8,000 comuni never make more than a page of rows in the document.

const PAGE = 100;
const $ = (id) => document.getElementById(id);
/** Whole numbers as the bot writes them: "8.000" (a point every three digits, from four digits on). */
const nf = { format: (x) => String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ".") };
const pf = new Intl.NumberFormat("it-IT", { maximumFractionDigits: 2 });
/** Times on the election's clock (the state says which). */
let timeZone = "Europe/Rome";
const hhmm = (ms) => new Date(ms).toLocaleTimeString("it-IT", { hour: "2-digit", minute: "2-digit", timeZone });

/** Text into an element, safely. */
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** Telegram HTML rendered by the server (escaped text and a few tags), shown as Telegram shows it. */
function telegram(html) {
  const d = el("div", undefined, "tg");
  d.innerHTML = html;
  for (const a of d.querySelectorAll("a")) a.rel = "noopener noreferrer";
  return d;
}

// ----- sign-in from Telegram's Mini App -----------------------------------------

const csrfMeta = document.querySelector('meta[name="csrf"]');
if (!csrfMeta) {
  // Not signed in: opened as a Mini App, Telegram put its signed initData in the address's fragment.
  const data = new URLSearchParams(location.hash.slice(1)).get("tgWebAppData");
  if (data) {
    fetch("/desk/auth/webapp", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ initData: data }),
      credentials: "same-origin",
    }).then((r) => {
      if (r.ok) location.replace("/desk/");
      else document.querySelector("main").append(el("p", "Accesso dal Mini App rifiutato.", "error"));
    });
  }
} else {
  start(csrfMeta.content);
}

function start(csrf) {
  const rows = new Map();
  const view = { sort: "followers", dir: -1, filter: "", region: "", search: null, page: 0 };
  let state = null;
  let scheduled = false;

  async function post(path, body) {
    const r = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    if (r.status === 401) location.reload();
    return r.json();
  }

  // ----- the table ---------------------------------------------------------------

  const key = {
    name: (r) => r.name,
    counted: (r) => (r.total ? r.counted / r.total : -1),
    leader: (r) => r.leader ?? "",
    share: (r) => r.share ?? -1,
    call: (r) => r.callText,
    gate: (r) => (r.gate === "held" ? 3 : r.stale ? 2 : r.gate === "released" ? 1 : 0),
    followers: (r) => r.followers,
  };

  function visible() {
    let list = [...rows.values()];
    if (view.search) list = list.filter((r) => view.search.has(r.key));
    if (view.region) list = list.filter((r) => r.region === view.region);
    if (view.filter === "held") list = list.filter((r) => r.gate === "held");
    else if (view.filter === "stale") list = list.filter((r) => r.stale);
    else if (view.filter === "counting") list = list.filter((r) => r.counting);
    else if (view.filter === "complete") list = list.filter((r) => r.complete);
    else if (view.filter === "followed") list = list.filter((r) => r.followers > 0);
    const k = key[view.sort];
    list.sort((a, b) => {
      const x = k(a);
      const y = k(b);
      const c = typeof x === "string" ? x.localeCompare(y, "it") : x - y;
      return c * view.dir || a.name.localeCompare(b.name, "it");
    });
    return list;
  }

  function statusText(r) {
    if (r.gate === "held") return "in verifica";
    if (r.stale) return "dati fermi";
    if (r.gate === "released") return "sbloccato";
    if (r.complete) return "completo";
    if (r.counting) return "in scrutinio";
    return "";
  }

  function renderTable() {
    scheduled = false;
    const list = visible();
    const pages = Math.max(1, Math.ceil(list.length / PAGE));
    view.page = Math.min(view.page, pages - 1);
    const body = $("rows");
    const frag = document.createDocumentFragment();
    for (const r of list.slice(view.page * PAGE, (view.page + 1) * PAGE)) {
      const tr = document.createElement("tr");
      tr.dataset.key = r.key;
      if (r.gate === "held") tr.className = "held";
      else if (r.stale) tr.className = "stale";
      const name = el("td");
      const b = el("button", r.name, "link");
      b.addEventListener("click", () => openComune(r.key));
      name.append(b, el("span", ` ${r.province}`, "muted"));
      const sections = el("td", r.total ? `${nf.format(r.counted)}/${nf.format(r.total)}` : "–", "num sections");
      tr.append(
        name,
        sections,
        el("td", r.leader ?? "–"),
        el("td", r.share !== undefined ? `${pf.format(r.share)}%` : "–", "num"),
        el("td", r.callText || "–"),
        el("td", statusText(r), "status"),
        el("td", nf.format(r.followers), "num"),
      );
      frag.append(tr);
    }
    body.replaceChildren(frag);
    $("count").textContent = `${nf.format(list.length)} comuni`;
    $("page").textContent = `pagina ${view.page + 1} di ${pages}`;
    $("prev").disabled = view.page === 0;
    $("next").disabled = view.page >= pages - 1;
  }

  function later() {
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(renderTable);
    }
  }

  for (const b of document.querySelectorAll("th button")) {
    b.addEventListener("click", () => {
      const s = b.dataset.sort;
      view.dir = view.sort === s ? -view.dir : s === "name" ? 1 : -1;
      view.sort = s;
      for (const o of document.querySelectorAll("th")) o.removeAttribute("aria-sort");
      b.parentElement.setAttribute("aria-sort", view.dir > 0 ? "ascending" : "descending");
      renderTable();
    });
  }
  $("filter").addEventListener("change", (e) => {
    view.filter = e.target.value;
    if (view.filter === "followed") {
      view.sort = "followers";
      view.dir = -1;
    }
    view.page = 0;
    renderTable();
  });
  $("region").addEventListener("change", (e) => {
    view.region = e.target.value;
    view.page = 0;
    renderTable();
  });
  $("prev").addEventListener("click", () => {
    view.page--;
    renderTable();
  });
  $("next").addEventListener("click", () => {
    view.page++;
    renderTable();
  });
  let searchTimer;
  $("q").addEventListener("input", (e) => {
    clearTimeout(searchTimer);
    const q = e.target.value.trim();
    searchTimer = setTimeout(async () => {
      if (!q) view.search = null;
      else {
        // The bot's own name matching: what /citta understands.
        const r = await fetch(`/desk/api/search?q=${encodeURIComponent(q)}`, { credentials: "same-origin" });
        view.search = new Set((await r.json()).keys);
      }
      view.page = 0;
      renderTable();
    }, 200);
  });

  function regions() {
    const sel = $("region");
    const have = new Set([...sel.options].map((o) => o.value));
    const all = [...new Set([...rows.values()].map((r) => r.region))].sort((a, b) => a.localeCompare(b, "it"));
    for (const r of all) if (!have.has(r)) sel.append(new Option(r, r));
  }

  // ----- a comune's page -----------------------------------------------------------

  let open = null;
  async function openComune(k, focus = true) {
    open = k;
    const r = await fetch(`/desk/api/comune?key=${encodeURIComponent(k)}`, { credentials: "same-origin" });
    if (!r.ok) return;
    const c = await r.json();
    const sec = $("comune");
    sec.hidden = false;
    $("comune-h").textContent = c.row.name;
    const body = $("comune-body");
    body.replaceChildren();
    const facts = el("p");
    facts.textContent = [
      c.row.total ? `Sezioni ${nf.format(c.row.counted)} su ${nf.format(c.row.total)}` : "Nessuna sezione ancora",
      c.row.callText,
      `seguito da ${nf.format(c.row.followers)} chat`,
      statusText(c.row),
    ]
      .filter(Boolean)
      .join(" · ");
    body.append(facts);
    if (c.card) {
      body.append(el("h3", "La scheda come su Telegram"));
      const card = telegram(c.card.html);
      card.classList.add("card");
      if (c.card.buttons.length) {
        const kb = el("div", undefined, "kb");
        for (const t of c.card.buttons) kb.append(el("span", t));
        card.append(kb);
      }
      body.append(card);
    }
    for (const g of c.gate) {
      body.append(el("h3", `Anomalie (${g.round})`));
      const ul = el("ul");
      for (const a of g.anomalies) ul.append(el("li", `${a.text}${a.holds ? " — trattiene i bollettini" : ""}`));
      if (!g.anomalies.length) ul.append(el("li", "nessuna"));
      body.append(ul);
      if (g.history.length) {
        body.append(el("h4", "Storia"));
        const ol = el("ol");
        for (const h of g.history)
          ol.append(
            el(
              "li",
              `${hhmm(h.at)} ${{ held: "in verifica", released: "sbloccato", cleared: "dati di nuovo coerenti" }[h.state]}${h.anomalies.length ? `: ${h.anomalies.join("; ")}` : ""}`,
            ),
          );
        body.append(ol);
      }
      if (g.held) {
        const b = el("button", `Sblocca ${c.row.name}`, "danger");
        b.addEventListener("click", async () => {
          b.disabled = true;
          const res = await post("/desk/api/release", { key: g.key });
          $("comune-msg").textContent = res.message;
          $("comune-msg").className = res.ok ? "ok" : "error";
        });
        body.append(b);
      }
    }
    if (focus) {
      $("comune-msg").textContent = "";
      $("comune-h").focus();
    }
  }
  $("comune-close").addEventListener("click", () => {
    $("comune").hidden = true;
    open = null;
  });

  // ----- publish, correct, withdraw --------------------------------------------------

  async function preview(kind, body, where) {
    where.replaceChildren(el("p", "Anteprima…"));
    const r = await post("/desk/api/draft", { kind, ...body });
    where.replaceChildren();
    if (!r.ok) {
      where.append(el("p", r.message || r.error, "error"));
      return;
    }
    where.append(telegram(r.html));
    if (r.recipients !== undefined) where.append(el("p", `Raggiunge ${nf.format(r.recipients)} chat.`, "reach"));
    const send = el("button", kind === "publish" ? "Invia" : kind === "correct" ? "Rettifica" : "Ritira", "primary");
    const cancel = el("button", "Annulla");
    const done = async (path) => {
      send.disabled = true;
      cancel.disabled = true;
      const res = await post(path, { id: r.id });
      where.append(el("p", res.message, res.ok ? "ok" : "error"));
    };
    send.addEventListener("click", () => done("/desk/api/draft/confirm"));
    cancel.addEventListener("click", () => done("/desk/api/draft/cancel"));
    where.append(send, cancel);
    send.focus();
  }
  $("preview-btn").addEventListener("click", () => preview("publish", { text: $("text").value }, $("preview")));

  // ----- panels -------------------------------------------------------------------------

  function fact(label, value) {
    const d = el("div", undefined, "fact");
    d.append(el("span", value, "value"), el("span", label, "label"));
    return d;
  }

  function renderState(s) {
    state = s;
    const o = s.overview;
    timeZone = o.timeZone;
    $("election").textContent = `${o.election}${o.simulated ? " (simulazione)" : ""}`;
    const g = $("glance-body");
    g.replaceChildren();
    const facts = el("div", undefined, "facts");
    const last = o.turnout.at(-1);
    if (last)
      facts.append(
        fact(
          `affluenza ${last.final ? "finale" : `ore ${last.at}`}${last.total ? ` (${nf.format(last.reported)} comuni su ${nf.format(last.total)})` : ""}`,
          last.percent !== undefined ? `${pf.format(last.percent)}%` : "–",
        ),
      );
    facts.append(
      fact("comuni al voto", nf.format(o.comuni.voting)),
      fact("in scrutinio", nf.format(o.comuni.counting)),
      fact("completi", nf.format(o.comuni.complete)),
      fact("in verifica", nf.format(o.comuni.held)),
      fact("dati fermi", nf.format(o.comuni.stale)),
      fact("sindaci eletti", nf.format(o.calls)),
      fact("ballottaggi", nf.format(o.runoffs)),
      fact("iscritti", nf.format(o.subscribers.chats)),
    );
    g.append(facts);
    if (o.turnout.length > 1)
      g.append(
        el(
          "p",
          `Affluenza: ${o.turnout.map((t) => `${t.final ? "finale" : t.at} ${t.percent !== undefined ? `${pf.format(t.percent)}%` : "–"}`).join(" · ")}`,
          "muted",
        ),
      );

    const d = s.delivery;
    const del = $("delivery-body");
    del.replaceChildren();
    if (d.push) {
      const p = el("div", undefined, "push");
      p.append(
        el(
          "p",
          `Bollettino n. ${d.push.seq} «${d.push.title}»: ${nf.format(d.push.done)} su ${nf.format(d.push.total)}${d.push.running ? " (in corso)" : ""}`,
        ),
      );
      const bar = document.createElement("progress");
      bar.max = Math.max(1, d.push.total);
      bar.value = d.push.done;
      bar.setAttribute("aria-label", "avanzamento dell'invio");
      p.append(bar);
      if (d.push.possiblyDuplicated > 0)
        p.append(
          el(
            "p",
            `forse arrivati due volte (ripresi da un'altra istanza mentre li stava inviando): ${nf.format(d.push.possiblyDuplicated)}`,
            "muted",
          ),
        );
      del.append(p);
    }
    const df = el("div", undefined, "facts");
    df.append(
      fact("in coda", nf.format(d.queued)),
      fact(`messaggi/s (limite ${nf.format(d.limit)})`, nf.format(d.rate)),
      fact("429 da Telegram", nf.format(d.rateLimited)),
      fact("risposte scartate", nf.format(d.dropped)),
      fact("giri delle schede", nf.format(d.cards.laps)),
      fact("schede aggiornate", nf.format(d.cards.edited)),
    );
    del.append(df);

    const inst = $("instances-body");
    const table = el("table");
    const head = el("tr");
    head.append(el("th", "Istanza"), el("th", "Dal"), el("th", "Lease"));
    table.append(head);
    for (const i of s.instances) {
      const tr = el("tr");
      tr.append(
        el("td", `${i.id}${i.self ? " (questa)" : ""}`),
        el("td", hhmm(i.since)),
        el("td", i.leases.join(", ")),
      );
      table.append(tr);
    }
    inst.replaceChildren(table);

    const drafts = $("drafts-body");
    drafts.replaceChildren();
    if (!s.drafts.length)
      drafts.append(
        el("p", o.feed === "review" ? "Nessuna bozza in attesa." : "Bollettini automatici non in revisione.", "muted"),
      );
    for (const dr of s.drafts) {
      const box = el("div", undefined, "draft");
      const pub = el("button", "Pubblica", "primary");
      const drop = el("button", "Scarta");
      const act = async (action) => {
        pub.disabled = true;
        drop.disabled = true;
        const r = await post("/desk/api/feed-draft", { id: dr.id, action });
        box.append(el("p", r.message, r.ok ? "ok" : "error"));
      };
      pub.addEventListener("click", () => act("publish"));
      drop.addEventListener("click", () => act("drop"));
      box.append(telegram(dr.html), pub, drop);
      drafts.append(box);
    }

    const bl = $("bulletins-body");
    if (!bl.contains(document.activeElement) || !bl.querySelector(".preview")) {
      bl.replaceChildren();
      if (!s.bulletins.length) bl.append(el("p", "Nessun bollettino della redazione.", "muted"));
      for (const b of s.bulletins) {
        const item = el("div", undefined, "bulletin");
        item.append(el("p", `n. ${b.seq} · ${b.time} · ${b.title}`));
        const area = el("div", undefined, "preview");
        const correct = el("button", "Rettifica");
        const withdraw = el("button", "Ritira", "danger");
        correct.addEventListener("click", () => {
          area.replaceChildren();
          const ta = document.createElement("textarea");
          ta.value = b.text;
          ta.rows = 3;
          ta.setAttribute("aria-label", `Nuovo testo del bollettino n. ${b.seq}`);
          const go = el("button", "Anteprima della rettifica");
          const out = el("div");
          go.addEventListener("click", () => preview("correct", { target: b.seq, text: ta.value }, out));
          area.append(ta, go, out);
          ta.focus();
        });
        withdraw.addEventListener("click", () => preview("withdraw", { target: b.seq }, area));
        item.append(correct, withdraw, area);
        bl.append(item);
      }
    }

    const j = $("journal-body");
    const ul = el("ul");
    for (const a of o.journal)
      ul.append(el("li", `${hhmm(a.at)} ${a.what} ${a.subject} — ${a.by}${a.via === "desk" ? " (desk)" : ""}`));
    if (!o.journal.length) ul.append(el("li", "nessuna"));
    j.replaceChildren(ul);
  }

  // ----- live -------------------------------------------------------------------------------

  let lastState = "";
  function connect() {
    const es = new EventSource("/desk/events", { withCredentials: true });
    es.addEventListener("open", () => {
      $("conn").textContent = "In diretta";
      $("conn").className = "live";
    });
    es.addEventListener("error", () => {
      $("conn").textContent = "Connessione persa: riprovo…";
      $("conn").className = "lost";
    });
    es.addEventListener("state", (e) => {
      if (e.data === lastState) return;
      lastState = e.data;
      // Keep the panels the editor is typing in.
      const typing = document.activeElement?.tagName === "TEXTAREA";
      if (!typing || !state) renderState(JSON.parse(e.data));
    });
    es.addEventListener("rows", (e) => {
      const m = JSON.parse(e.data);
      if (m.full) rows.clear();
      for (const r of m.rows) rows.set(r.key, r);
      for (const k of m.gone) rows.delete(k);
      if (m.full) regions();
      later();
      if (open && m.rows.some((r) => r.key === open)) openComune(open, false);
    });
  }
  connect();
}
