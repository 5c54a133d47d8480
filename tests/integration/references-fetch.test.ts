import http from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchReferenceImage, isPublicAddress } from "@/lib/server/references/fetch-url";

/**
 * The style-reference URL fetcher against a real local HTTP server
 * (docs/references.md §4). The server is on loopback, which production refuses;
 * tests that need to reach it allow exactly its address and plain http, and
 * everything else is the production policy: loopback, private, link-local and
 * v4-in-v6 addresses are refused, before connecting and after each redirect.
 */
let server: http.Server;
let base = "";
let png: Buffer;

beforeAll(async () => {
  png = await sharp({ create: { width: 32, height: 32, channels: 3, background: "#336699" } }).png().toBuffer();
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    if (url.pathname === "/image.png") response.writeHead(200, { "content-type": "image/png" }).end(png);
    else if (url.pathname === "/to-private") response.writeHead(302, { location: "http://10.1.2.3/image.png" }).end();
    else if (url.pathname === "/to-metadata") response.writeHead(301, { location: "http://169.254.169.254/latest/meta-data/" }).end();
    else if (url.pathname === "/to-self") response.writeHead(302, { location: "/image.png" }).end();
    else if (url.pathname === "/loop") response.writeHead(302, { location: "/loop" }).end();
    else if (url.pathname === "/html") response.writeHead(200, { "content-type": "text/html" }).end("<p>hi</p>");
    else if (url.pathname === "/slow") setTimeout(() => response.writeHead(200, { "content-type": "image/png" }).end(png), 3_000);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Only the test server's address, by the rules production uses for everything else. */
const local = { allowHttp: true, isAllowedAddress: (address: string) => address === "127.0.0.1" || isPublicAddress(address) };

describe("fetchReferenceImage", () => {
  it("classifies addresses", () => {
    for (const address of ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "64:ff9b::a00:1", "224.0.0.1"]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"]) expect(isPublicAddress(address), address).toBe(true);
  });

  it("refuses loopback, private and link-local addresses before connecting, by the default policy", async () => {
    for (const url of ["https://127.0.0.1/a.png", "https://localhost/a.png", "https://10.0.0.8/a.png", "https://192.168.0.1/a.png", "https://169.254.169.254/latest/meta-data/", "https://[::1]/a.png", "https://[::ffff:127.0.0.1]/a.png"]) {
      await expect(fetchReferenceImage(url), url).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/private, loopback or link-local/) });
    }
    // The test server itself is refused without the test's allowance.
    await expect(fetchReferenceImage(`${base}/image.png`.replace("http:", "https:"))).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses plain http, credentials and non-URLs", async () => {
    await expect(fetchReferenceImage("http://example.com/a.png")).rejects.toMatchObject({ message: expect.stringContaining("only https") });
    await expect(fetchReferenceImage("https://user:pw@example.com/a.png")).rejects.toMatchObject({ message: expect.stringContaining("user name or password") });
    await expect(fetchReferenceImage("not a url")).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("fetches an allowed image, and follows a redirect to an allowed one", async () => {
    expect(Buffer.compare(Buffer.from(await fetchReferenceImage(`${base}/image.png`, local)), png)).toBe(0);
    expect(Buffer.compare(Buffer.from(await fetchReferenceImage(`${base}/to-self`, local)), png)).toBe(0);
  });

  it("re-checks every redirect: to a private address, to cloud metadata; and stops redirect loops", async () => {
    await expect(fetchReferenceImage(`${base}/to-private`, local)).rejects.toMatchObject({ message: expect.stringMatching(/private, loopback or link-local/) });
    await expect(fetchReferenceImage(`${base}/to-metadata`, local)).rejects.toMatchObject({ message: expect.stringMatching(/private, loopback or link-local/) });
    await expect(fetchReferenceImage(`${base}/loop`, local)).rejects.toMatchObject({ message: expect.stringContaining("redirects") });
  });

  it("bounds type, size and time", async () => {
    await expect(fetchReferenceImage(`${base}/html`, local)).rejects.toMatchObject({ message: expect.stringContaining("not an image") });
    await expect(fetchReferenceImage(`${base}/image.png`, { ...local, maxBytes: 10 })).rejects.toMatchObject({ message: expect.stringContaining("larger than") });
    await expect(fetchReferenceImage(`${base}/slow`, { ...local, timeoutMs: 300 })).rejects.toMatchObject({ message: expect.stringContaining("did not answer") });
    await expect(fetchReferenceImage(`${base}/missing`, local)).rejects.toMatchObject({ message: expect.stringContaining("404") });
  });
});
