// timer: GET /?ms=90000 answers {"ms":90000,"words":"2 minutes"}; GET /healthz answers "ok".
// `node server.js --selftest` starts the server on a free port of 127.0.0.1, asks it once over
// HTTP, prints the answer and exits: the exercise's check runs it that way.
const http = require("node:http");
const { format } = require("./lib/format");

const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (url.pathname === "/healthz") {
    res.writeHead(200, { "content-type": "text/plain" });
    return res.end("ok\n");
  }
  const millis = Number(url.searchParams.get("ms") ?? "0");
  try {
    const body = JSON.stringify({ service: "timer", ms: millis, words: format(millis) });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body + "\n");
  } catch (err) {
    res.writeHead(400, { "content-type": "text/plain" });
    res.end(err.message + "\n");
  }
});

if (process.argv.includes("--selftest")) {
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    http
      .get({ host: "127.0.0.1", port, path: "/?ms=90000" }, (res) => {
        let data = "";
        res.on("data", (c) => (data += c));
        res.on("end", () => {
          process.stdout.write(`GET /?ms=90000 -> ${res.statusCode} ${data}`);
          server.close();
          process.exitCode = res.statusCode === 200 ? 0 : 1;
        });
      })
      .on("error", (err) => {
        console.error(`selftest: ${err.message}`);
        process.exit(1);
      });
  });
} else {
  const port = Number(process.env.PORT ?? 3000);
  server.listen(port, () => console.log(`timer listening on :${port}`));
}
