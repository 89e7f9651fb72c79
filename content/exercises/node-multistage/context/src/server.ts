// quotes: GET / answers the quote of the day as JSON, GET /healthz answers "ok".
// `node dist/server.js --selftest` starts the server on a free port of 127.0.0.1, asks it for
// a quote over HTTP, prints the answer and exits: the exercise's check runs it that way.
import http from "node:http";
import type { AddressInfo } from "node:net";
import ms from "ms";
import { quoteFor } from "./quotes";

const version = "2.3.0";
const started = Date.now();

export const server = http.createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok\n");
    return;
  }
  if (req.url !== "/") {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found\n");
    return;
  }
  const body = {
    service: "quotes",
    version,
    quote: quoteFor(new Date()),
    uptime: ms(Date.now() - started),
  };
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(body) + "\n");
});

function selftest(): void {
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    http
      .get({ host: "127.0.0.1", port, path: "/" }, (res) => {
        let data = "";
        res.on("data", (chunk) => (data += chunk));
        res.on("end", () => {
          process.stdout.write(`GET / -> ${res.statusCode} ${data}`);
          server.close();
          process.exitCode = res.statusCode === 200 ? 0 : 1;
        });
      })
      .on("error", (err) => {
        console.error(`selftest: ${err.message}`);
        process.exit(1);
      });
  });
}

if (process.argv.includes("--selftest")) {
  selftest();
} else {
  const port = Number(process.env.PORT ?? 3000);
  server.listen(port, () => console.log(`quotes ${version} listening on :${port}`));
}
