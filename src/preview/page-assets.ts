/** The live preview's inline script (live updates over /events) and style sheet, served with every page under its nonce. */

/**
 * Listens to /events; when the server announces another state it fetches this page's #app again (?part=app), waits
 * for its images, and swaps it in place (no flash, scroll kept). A failed fetch waits for the next announcement (sent on reconnect), and says so on the live dot's tooltip.
 */
export const PAGE_SCRIPT = `(() => {
  let version = document.getElementById('app').dataset.version, live = false, ticket = 0
  const mark = () => {
    const dot = document.getElementById('live')
    if (dot) { dot.dataset.state = live ? 'on' : 'off'; dot.title = live ? 'Live: updates when a file is saved' : 'Disconnected: retrying…' }
  }
  const refresh = async (target) => {
    if (!target || target === version) return
    const mine = ++ticket
    try {
      const response = await fetch(location.pathname + '?part=app', { cache: 'no-store' })
      const holder = document.createElement('template')
      holder.innerHTML = await response.text()
      const next = holder.content.getElementById('app')
      if (!next) return
      await Promise.all([...next.querySelectorAll('img')].map((img) => { const pre = new Image(); pre.src = img.getAttribute('src'); return pre.decode().catch(() => {}) }))
      if (mine !== ticket) return
      version = next.dataset.version || target
      document.title = next.dataset.title || document.title
      document.getElementById('app').replaceWith(next)
      mark()
    } catch {
      const dot = document.getElementById('live')
      if (dot) dot.title = 'The last update failed: waiting for the next change'
    }
  }
  const events = new EventSource('/events')
  events.addEventListener('version', (event) => refresh(event.data))
  events.onopen = () => { live = true; mark() }
  events.onerror = () => { live = false; mark() }
  mark()
})()`

/** The preview's own look: bar, index table, page images, overlay. */
export const PAGE_STYLE = `
*{box-sizing:border-box}html{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f7f9}body{margin:0}
code,pre{font:12.5px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}a{color:#0b5cad}
.bar{position:sticky;top:0;z-index:5;display:flex;align-items:center;gap:14px;padding:10px 20px;background:#fff;border-bottom:1px solid #d9dce1;box-shadow:0 1px 3px rgba(0,0,0,.05)}
.bar .brand,.bar .name{font-weight:600;font-size:15px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;flex:0 1 auto;min-width:6em}
.bar .meta{color:#59636e;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;flex:0 100 auto;min-width:0}.bar .back{text-decoration:none;white-space:nowrap}.spacer{flex:1}
.live{width:9px;height:9px;border-radius:50%;background:#b0b6bd;flex:none}.live[data-state=on]{background:#1f9d55;box-shadow:0 0 0 3px rgba(31,157,85,.18)}
.button{background:#0b5cad;color:#fff;text-decoration:none;padding:6px 14px;border-radius:6px;font-weight:600;white-space:nowrap}.button:hover{background:#094a8c}
.bad{color:#c62828}.ok{color:#1f7a45}
.index{padding:24px 20px 48px;max-width:1400px;margin:0 auto}table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #d9dce1;border-radius:8px;overflow:hidden}
th,td{text-align:left;vertical-align:top;padding:10px 12px;border-bottom:1px solid #eceef1}th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#59636e;background:#fafbfc}
tr:last-child td{border-bottom:0}td.title .id{display:block;margin-top:3px;font-weight:400;color:#59636e}td.file code{white-space:nowrap}td.problems{width:50%}td.title{font-weight:600;min-width:240px}tr.failing td.title a{color:#c62828}td.empty{color:#59636e;text-align:center;padding:32px}
td.status span{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;background:#eceef1}td.status .status-completed{background:#e3f1e8;color:#1f6b3a}td.status .status-ongoing{background:#e4eefb;color:#0b4f96}td.status .status-planned{background:#fdf1dc;color:#8a5300}
.problem{margin:0 0 6px}.problem code{display:block;color:#c62828;white-space:pre-wrap;word-break:break-word}.problem span{color:#59636e;font-size:12.5px}
.notes{margin:12px 20px 0;padding:8px 12px 8px 30px;background:#fff8e1;border:1px solid #f0d68a;border-radius:6px;color:#6b5000}
.pages{background:#8a8f96;min-height:calc(100vh - 52px);padding:28px 16px 40px;display:flex;flex-direction:column;align-items:center;gap:26px}
.page{margin:0;display:flex;flex-direction:column;align-items:center;gap:8px}.page img{display:block;max-width:calc(100vw - 32px);height:auto;background:#fff;box-shadow:0 2px 4px rgba(0,0,0,.2),0 10px 28px rgba(0,0,0,.28)}
.page figcaption{color:#f2f3f5;font-size:12.5px;letter-spacing:.02em}.pdf{width:min(100%,900px);height:calc(100vh - 120px);background:#fff}
.missing{padding:48px 20px;text-align:center;color:#59636e}
.overlay{position:fixed;inset:0;z-index:4;background:rgba(32,36,41,.55);overflow:auto;padding:84px 16px 32px}
.panel{max-width:960px;margin:0 auto;background:#fff;border-radius:8px;border-top:5px solid #c62828;box-shadow:0 18px 50px rgba(0,0,0,.35);padding:20px 24px}
.panel h1{font-size:17px;margin:0 0 14px}.error{margin:0 0 18px}.error .header{margin:0 0 6px;font:600 13.5px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#c62828;word-break:break-word}
.error pre{margin:0;padding:10px 12px;background:#f6f7f9;border:1px solid #eceef1;border-radius:6px;overflow:auto}.error .stack{color:#59636e;margin-top:6px}
.error .hint{margin:6px 0 0;color:#3d444d}.error .hint .code{color:#59636e}.error .frame .current{background:#fdecea;color:#8e1c1c;font-weight:600}.panel .foot{margin:8px 0 0;color:#59636e;font-size:12.5px}
`
