// examples/driver/monitor_page.hpp - the live page `driver --monitor` serves:
// one self-contained HTML document (no script, font or style from anywhere
// else) that polls /api/status (vitte::toolchain::monitor_json) twice a second.
#ifndef VITTE_EXAMPLES_DRIVER_MONITOR_PAGE_HPP
#define VITTE_EXAMPLES_DRIVER_MONITOR_PAGE_HPP

namespace driver_monitor {

inline constexpr const char page[] = R"PAGE(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>vitte build monitor</title>
<style>
:root{--bg:#f4f6fa;--card:#fff;--ink:#1d2433;--soft:#5d6679;--line:#e3e7ef;--accent:#3d6df2;
--ran:#3d6df2;--local:#22a66e;--http:#0f9bb0;--redis:#d9534f;--cluster:#8a5cd6;--fail:#d63a3a;--run:#f2a93b}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header{display:flex;align-items:center;gap:14px;padding:14px 24px;background:#1d2433;color:#fff}
header h1{font-size:17px;margin:0;font-weight:600;letter-spacing:.2px}
header .sub{color:#aab3c5;font-size:13px}
.pill{padding:2px 10px;border-radius:999px;font-size:12px;font-weight:600;background:var(--run);color:#1d2433}
.pill.done{background:var(--local);color:#fff}.pill.failed{background:var(--fail);color:#fff}.pill.lost{background:#777;color:#fff}
main{padding:18px 24px;display:grid;gap:16px}
.cards{display:grid;grid-template-columns:2fr repeat(4,1fr);gap:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;box-shadow:0 1px 2px rgba(20,30,60,.04)}
.card h2{font-size:12px;text-transform:uppercase;letter-spacing:.6px;color:var(--soft);margin:0 0 6px;font-weight:600}
.big{font-size:26px;font-weight:650;font-variant-numeric:tabular-nums}
.muted{color:var(--soft)}
.bar{height:10px;background:#e8ecf4;border-radius:6px;overflow:hidden;margin-top:8px}
.bar>div{height:100%;background:linear-gradient(90deg,#3d6df2,#5b8cff);width:0}
.empty{color:var(--soft);font-style:italic;padding:6px 0}
.two{display:grid;grid-template-columns:1fr 1fr;gap:16px}
table{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}
td,th{padding:5px 6px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:12px;color:var(--soft);font-weight:600}
td.n,th.n{text-align:right;white-space:nowrap}
tr.pick{cursor:pointer}tr.pick:hover{background:#f0f4ff}
.name{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
.why{color:var(--soft);font-size:12.5px}
ol{margin:0;padding-left:22px}ol li{padding:2px 0}
.swatch{display:inline-block;width:10px;height:10px;border-radius:3px;margin-right:6px;vertical-align:-1px}
.tierbar{height:8px;border-radius:4px;background:#e8ecf4;overflow:hidden;min-width:80px}
.tierbar>div{height:100%}
#tl-wrap{position:relative}
canvas{width:100%;display:block;border-radius:6px;background:#fafbfd;border:1px solid var(--line)}
#tip{position:fixed;pointer-events:none;background:#1d2433;color:#fff;padding:7px 9px;border-radius:6px;font-size:12px;max-width:420px;display:none;z-index:5}
.legend{display:flex;gap:14px;flex-wrap:wrap;font-size:12px;color:var(--soft);margin-top:8px}
input{width:100%;padding:7px 10px;border:1px solid var(--line);border-radius:6px;font:inherit;margin-bottom:8px}
#detail{font-size:13px}#detail dt{color:var(--soft);font-size:12px;margin-top:6px}#detail dd{margin:0}
.scroll{max-height:320px;overflow:auto}
.status-bad{color:var(--fail);font-weight:600}
</style></head><body>
<header><h1>vitte build monitor</h1><span id="state" class="pill">running</span><span class="sub" id="clock">0.0 s</span></header>
<main>
<section class="cards">
 <div class="card"><h2>Progress</h2><div class="big" id="progress" data-finished="0" data-planned="0">0 / 0</div>
  <div class="bar"><div id="bar"></div></div><div class="muted" id="progress-note">waiting for the first step</div></div>
 <div class="card"><h2>Running now</h2><div class="big" id="running">0</div><div class="muted" id="jobs">of 0 workers</div></div>
 <div class="card"><h2>Failed</h2><div class="big" id="failed">0</div><div class="muted" id="failed-note">steps</div></div>
 <div class="card"><h2>Up to date</h2><div class="big" id="uptodate">&ndash;</div><div class="muted" id="uptodate-note">counted when the build ends</div></div>
 <div class="card"><h2>Cache hits</h2><div class="big" id="hitrate">&ndash;</div><div class="muted" id="hitnote">of finished steps</div></div>
</section>
<section class="card"><h2>Timeline per worker</h2><div id="tl-wrap"><canvas id="timeline" height="120" data-drawn="0"></canvas></div>
 <div class="legend"><span><i class="swatch" style="background:var(--ran)"></i>ran</span><span><i class="swatch" style="background:var(--local)"></i>local cache</span>
 <span><i class="swatch" style="background:var(--http)"></i>HTTP cache</span><span><i class="swatch" style="background:var(--redis)"></i>Redis cache</span>
 <span><i class="swatch" style="background:var(--cluster)"></i>cluster</span><span><i class="swatch" style="background:var(--run)"></i>running</span>
 <span><i class="swatch" style="background:var(--fail)"></i>failed</span><span><i class="swatch" style="background:#fff;border:2px solid #1d2433"></i>critical path</span></div></section>
<section class="two">
 <div class="card"><h2>Critical path <span class="muted" id="critical-total"></span></h2><div class="scroll"><ol id="critical"></ol></div></div>
 <div class="card"><h2>Slowest steps</h2><table id="slowest"><thead><tr><th>step</th><th>cache</th><th class="n">time</th></tr></thead><tbody></tbody></table></div>
</section>
<section class="two">
 <div class="card"><h2>Cache tiers</h2><table id="tiers"><thead><tr><th>tier</th><th class="n">steps</th><th class="n">share</th><th></th></tr></thead><tbody></tbody></table></div>
 <div class="card"><h2>Step</h2><div id="detail" class="muted">Pick a step (timeline, lists or the table below) to see why it ran.</div></div>
</section>
<section class="card"><h2>Why each step ran</h2><input id="filter" placeholder="filter by step, output or reason">
 <div class="scroll"><table id="steps"><thead><tr><th class="n">#</th><th>step</th><th>why it ran</th><th>cache</th><th>where</th><th class="n">time</th></tr></thead><tbody></tbody></table></div>
 <div class="muted" id="steps-note"></div></section>
</main><div id="tip"></div>
<script>
"use strict";
const TIERS=["none","local","http","redis","cluster"],TIERNAME={none:"ran (no cache)",local:"local cache",http:"HTTP cache",redis:"Redis cache",cluster:"cluster server"};
const css=getComputedStyle(document.documentElement),color=n=>css.getPropertyValue("--"+n).trim();
const TIERCOLOR={none:color("ran"),local:color("local"),http:color("http"),redis:color("redis"),cluster:color("cluster")};
const S={steps:[],data:null,low:0,critical:new Set(),pick:-1,lost:false};
const $=id=>document.getElementById(id);
function el(tag,props,...kids){const e=document.createElement(tag);Object.assign(e,props||{});for(const k of kids)e.append(k);return e;}
function ms(v){return v<1000?v+" ms":(v/1000).toFixed(v<10000?2:1)+" s";}
function dur(s){return s.end<0?(S.data?S.data.now_ms-s.start:0):s.end-s.start;}
async function poll(){
  try{
    const r=await fetch("/api/status?from="+S.low,{cache:"no-store"});
    if(!r.ok)throw new Error(r.status);
    const d=await r.json();
    d.steps.forEach((a,i)=>{S.steps[d.from+i]={id:d.from+i,name:a[0],output:a[1],why:a[2],tier:a[3],where:a[4],slot:a[5],start:a[6],end:a[7],status:a[8],bytes:a[9],after:a[10]};});
    while(S.low<S.steps.length&&S.steps[S.low].end>=0)S.low++;
    S.data=d;S.lost=false;render();
    if(!d.done)setTimeout(poll,500);else document.body.dataset.done="1";
  }catch(e){S.lost=true;renderState();setTimeout(poll,2000);}
}
function renderState(){
  const d=S.data,st=$("state");
  if(S.lost){st.textContent="disconnected";st.className="pill lost";return;}
  if(!d)return;
  st.textContent=d.done?(d.failed?"failed":"done"):"running";
  st.className="pill"+(d.done?(d.failed?" failed":" done"):"");
}
function render(){
  const d=S.data;renderState();
  $("clock").textContent=(d.now_ms/1000).toFixed(1)+" s"+(d.done?" in all":" elapsed");
  const p=$("progress");p.textContent=d.finished+" / "+d.planned;p.dataset.finished=d.finished;p.dataset.planned=d.planned;p.dataset.started=d.started;
  $("bar").style.width=(d.planned?100*d.finished/d.planned:(d.done?100:0))+"%";
  $("progress-note").textContent=d.done?(d.planned?"all steps ended":"nothing needed to run"):(d.started?d.started+" started":"checking what is up to date");
  $("running").textContent=d.running;
  const now=S.steps.filter(s=>s&&s.start>=0&&s.end<0).map(s=>s.name);
  $("jobs").textContent=(now.length?now.slice(0,3).join(", ")+(now.length>3?" and "+(now.length-3)+" more":"")+"; ":"")+"of "+d.jobs+" workers (at most "+d.most_at_once+" together)";
  $("failed").textContent=d.failed;$("failed-note").textContent=d.failed===1?"step":"steps";$("failed").className="big"+(d.failed?" status-bad":"");
  $("uptodate").textContent=d.done?d.up_to_date:"\u2013";$("uptodate-note").textContent=d.done?"steps with nothing to do":"counted when the build ends";
  const hits=TIERS.slice(1).reduce((n,t)=>n+d.served[t],0);
  const remote=S.steps.filter(s=>s&&s.end>=0&&s.tier==="none"&&s.where&&s.where!=="local").length;
  $("hitrate").textContent=d.finished?Math.floor(1000*hits/d.finished)/10+"%":"\u2013";$("hitnote").textContent=hits+" of "+d.finished+" finished steps"+(remote?"; "+remote+" compiled on servers (ran, not hits)":"");
  S.critical=new Set(d.critical);
  renderTiers(d);renderCritical(d);renderSlowest(d);renderTimeline();renderSteps();if(S.pick>=0)showStep(S.pick);
}
function pickRow(tr,id){tr.className="pick";tr.dataset.step=id;tr.onclick=()=>showStep(id);return tr;}
function renderTiers(d){
  const tb=$("tiers").tBodies[0];tb.replaceChildren();
  for(const t of TIERS){
    const n=d.served[t],share=d.finished?100*n/d.finished:0;
    const bar=el("div",{className:"tierbar"},el("div"));bar.firstChild.style.width=share+"%";bar.firstChild.style.background=TIERCOLOR[t];
    const sw=el("i",{className:"swatch"});sw.style.background=TIERCOLOR[t];
    const tr=el("tr",{},el("td",{},sw,TIERNAME[t]),el("td",{className:"n",textContent:n}),el("td",{className:"n",textContent:share.toFixed(1)+"%"}),el("td",{},bar));
    tr.dataset.tier=t;tr.dataset.count=n;tb.append(tr);
  }
}
function renderCritical(d){
  const ol=$("critical");ol.replaceChildren();let total=0;
  for(const id of d.critical){const s=S.steps[id];if(!s)continue;total+=dur(s);
    const li=el("li",{},el("span",{className:"name",textContent:s.name}),el("span",{className:"muted",textContent:"  "+ms(dur(s))}));
    li.dataset.step=id;li.style.cursor="pointer";li.onclick=()=>showStep(id);ol.append(li);}
  if(!d.critical.length)ol.append(el("div",{className:"empty",textContent:!d.done?"No step has finished yet.":d.finished?"No chain: no step waited for another.":"No step ran."}));
  $("critical-total").textContent=d.critical.length?"("+d.critical.length+" step"+(d.critical.length>1?"s":"")+", "+ms(total)+")":"";
}
function renderSlowest(d){
  const tb=$("slowest").tBodies[0];tb.replaceChildren();
  for(const id of d.slowest){const s=S.steps[id];if(!s)continue;
    tb.append(pickRow(el("tr",{},el("td",{className:"name",textContent:s.name}),el("td",{textContent:s.tier}),el("td",{className:"n",textContent:ms(dur(s))})),id));}
  if(!d.slowest.length)tb.append(el("tr",{},el("td",{className:"empty",colSpan:3,textContent:d.done?"No step ran.":"No step has finished yet."})));
}
function renderSteps(){
  const q=$("filter").value.toLowerCase(),tb=$("steps").tBodies[0],rows=[];
  for(let i=S.steps.length-1;i>=0&&rows.length<300;i--){const s=S.steps[i];if(!s)continue;
    if(q&&!(s.name+" "+s.output+" "+s.why).toLowerCase().includes(q))continue;
    const t=el("td",{className:"n",textContent:s.end<0?"running":ms(dur(s))});if(s.status)t.className+=" status-bad";
    rows.push(pickRow(el("tr",{},el("td",{className:"n",textContent:i}),el("td",{className:"name",textContent:s.name}),el("td",{className:"why",textContent:s.why}),el("td",{textContent:s.end<0?"\u2013":s.tier}),el("td",{textContent:s.where||"\u2013"}),t),i));}
  if(!rows.length)rows.push(el("tr",{},el("td",{className:"empty",colSpan:6,textContent:S.steps.length?"No step matches.":(S.data&&S.data.done?"No step ran: everything was up to date.":"No step has started yet.")})));
  tb.replaceChildren(...rows);
  $("steps-note").textContent=S.steps.length>rows.length?"showing the latest "+rows.length+" of "+S.steps.length+" steps":"";
}
function showStep(id){
  const s=S.steps[id];if(!s)return;S.pick=id;const dl=el("dl");
  const add=(k,v)=>{dl.append(el("dt",{textContent:k}),el("dd",{textContent:v}));};
  add("step #"+id,s.name);add("why it ran",s.why||"\u2013");add("output",s.output||"\u2013");
  add("cache",TIERNAME[s.tier]||s.tier);add("where",s.where||"\u2013");
  add("time",s.end<0?"running for "+ms(dur(s)):ms(dur(s))+" (from "+ms(s.start)+" to "+ms(s.end)+", worker "+(s.slot+1)+")");
  if(s.end>=0)add("exit status",s.status+(s.status?" (failed)":""));if(s.bytes)add("output size",s.bytes.toLocaleString()+" bytes");
  if(s.after.length)add("waited for",s.after.length+" step"+(s.after.length>1?"s":"")+(s.after.length<=5?": "+s.after.map(a=>S.steps[a]?S.steps[a].name:a).join(", "):""));
  if(S.critical.has(id))add("critical path","yes");
  const box=$("detail");box.className="";box.replaceChildren(dl);box.dataset.step=id;
}
function renderTimeline(){
  const d=S.data,cv=$("timeline"),rows=Math.max(d.jobs,1+S.steps.reduce((m,s)=>s?Math.max(m,s.slot):m,0)),rowH=Math.max(8,Math.min(22,Math.floor(260/rows)));
  const W=cv.clientWidth,H=rows*rowH+24,dpr=window.devicePixelRatio||1;
  cv.style.height=H+"px";cv.width=W*dpr;cv.height=H*dpr;const g=cv.getContext("2d");g.scale(dpr,dpr);
  const left=74,span=Math.max(d.now_ms,1),x=t=>left+(W-left-8)*t/span;
  g.font="11px system-ui,sans-serif";g.textBaseline="middle";
  for(let r=0;r<rows;r++){g.fillStyle=r%2?"#f4f6fb":"#fafbfd";g.fillRect(0,r*rowH,W,rowH);g.fillStyle="#5d6679";g.fillText("worker "+(r+1),8,r*rowH+rowH/2);}
  g.strokeStyle="#e3e7ef";g.fillStyle="#5d6679";const step=niceStep(span/8);
  for(let t=0;t<=span;t+=step){const xx=x(t);g.beginPath();g.moveTo(xx,0);g.lineTo(xx,rows*rowH);g.stroke();g.fillText(ms(t),xx-10,rows*rowH+12);}
  let drawn=0;
  for(const s of S.steps){if(!s)continue;const x0=x(s.start),x1=Math.max(x0+1.5,x(s.end<0?d.now_ms:s.end)),y=s.slot*rowH+2,h=rowH-4;
    g.fillStyle=s.end<0?color("run"):(s.status?color("fail"):TIERCOLOR[s.tier]);g.fillRect(x0,y,x1-x0,h);drawn++;
    if(S.critical.has(s.id)){g.strokeStyle="#1d2433";g.lineWidth=1.5;g.strokeRect(x0,y,x1-x0,h);}}
  cv.dataset.drawn=drawn;cv.dataset.rows=rows;S.geom={left,span,rowH,W,x};
}
function niceStep(v){const p=Math.pow(10,Math.floor(Math.log10(Math.max(v,1))));for(const m of [1,2,5,10])if(m*p>=v)return m*p;return 10*p;}
function stepAt(ev){
  const g=S.geom;if(!g)return null;const cv=$("timeline"),b=cv.getBoundingClientRect(),px=ev.clientX-b.left,py=ev.clientY-b.top;
  const slot=Math.floor(py/g.rowH),t=(px-g.left)*g.span/(g.W-g.left-8);let best=null;
  for(const s of S.steps){if(!s||s.slot!==slot)continue;const e=s.end<0?S.data.now_ms:s.end;
    if(t>=s.start-g.span/400&&t<=e+g.span/400&&(!best||dur(s)>dur(best)))best=s;}
  return best;
}
$("timeline").addEventListener("mousemove",ev=>{const s=stepAt(ev),tip=$("tip");
  if(!s){tip.style.display="none";return;}
  tip.replaceChildren(el("b",{textContent:s.name}),el("br"),s.why,el("br"),TIERNAME[s.tier]+", "+ms(dur(s)));
  tip.style.left=(ev.clientX+14)+"px";tip.style.top=(ev.clientY+14)+"px";tip.style.display="block";});
$("timeline").addEventListener("mouseleave",()=>{$("tip").style.display="none";});
$("timeline").addEventListener("click",ev=>{const s=stepAt(ev);if(s)showStep(s.id);});
$("filter").addEventListener("input",renderSteps);
window.addEventListener("resize",()=>{if(S.data)renderTimeline();});
poll();
</script></body></html>
)PAGE";

}  // namespace driver_monitor

#endif  // VITTE_EXAMPLES_DRIVER_MONITOR_PAGE_HPP
