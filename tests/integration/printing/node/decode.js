// Decode python-escpos output with npos: prints JSON {text, rasters:[{width,height}], barcodes, error}.
const fs = require("fs");
const npos = require("npos");
const buf = fs.readFileSync(process.argv[2]);
npos.parser().parse(buf).then((ast) => {
  const out = { text: "", rasters: [], barcodes: [], types: [], error: ast.error ? String(ast.error) : null };
  for (const e of ast.entries || []) {
    out.types.push(e.type);
    if (e.type === "text") out.text += (typeof e.data === "string" ? e.data : Buffer.from(e.data || []).toString("latin1"));
    else if (e.type === "raster" || e.type === "bitimage") {
      const d = e.data || {};
      out.rasters.push({ width: d.width || (d.xL !== undefined ? d.xL : null), height: d.height || null, keys: Object.keys(d) });
    } else if (e.type === "barcode") out.barcodes.push(e.data);
  }
  process.stdout.write(JSON.stringify(out));
}).catch((err) => { console.error(String(err)); process.exit(1); });
