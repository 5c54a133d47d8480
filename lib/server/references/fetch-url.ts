import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";
import { AppError } from "@/lib/errors";
import { UPLOAD_LIMITS } from "@/lib/uploads/limits";

/**
 * Fetching a style reference given as a URL (docs/references.md §4). The
 * server makes the request, so it must not become a way into the network it
 * runs in: every address a name resolves to must be public, the connection
 * goes to the address that was checked (no second lookup a rebinding DNS
 * server could answer differently), every redirect is checked the same way,
 * and size and time are bounded like an upload.
 */

/** Ranges a reference may never be fetched from: loopback, private, link-local, shared, reserved, multicast, and v6 forms that embed v4. */
// Two lists: one BlockList matches IPv4 addresses against IPv4-mapped IPv6 rules too, so ::ffff:0:0/96 would refuse every IPv4 address.
const REFUSED_V4 = new BlockList();
const REFUSED_V6 = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.0.0.0", 24],
  ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) REFUSED_V4.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 127], ["::ffff:0:0", 96], ["64:ff9b::", 96], ["64:ff9b:1::", 48], ["100::", 64], ["2001::", 23], ["2001:db8::", 32], ["2002::", 16], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8],
] as const) REFUSED_V6.addSubnet(network, prefix, "ipv6");

/** True for an address on the public internet. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return family === 4 ? !REFUSED_V4.check(address, "ipv4") : !REFUSED_V6.check(address, "ipv6");
}

export interface FetchReferenceOptions {
  /** The whole fetch, redirects included. @defaultValue 10000 */
  timeoutMs?: number;
  /** @defaultValue UPLOAD_LIMITS.maxBytes */
  maxBytes?: number;
  /** @defaultValue 3 */
  maxRedirects?: number;
  /** Which resolved addresses may be contacted. @defaultValue isPublicAddress */
  isAllowedAddress?: (address: string) => boolean;
  /** Plain http as well as https (tests serve http on a local port). @defaultValue false */
  allowHttp?: boolean;
}

function refused(message: string): AppError {
  return new AppError("BAD_REQUEST", `Could not use the style reference URL: ${message}`);
}

/** The one address to connect to: every address of the name must be allowed. */
async function checkedAddress(url: URL, isAllowed: (address: string) => boolean): Promise<{ address: string; family: number }> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true }).catch(() => []);
  if (addresses.length === 0) throw refused(`${url.hostname} does not resolve.`);
  if (addresses.some(({ address }) => !isAllowed(address))) throw refused(`${url.hostname} is a private, loopback or link-local address; only public images can be fetched.`);
  return addresses[0]!;
}

type Answer = { redirect: string } | { body: Uint8Array };

function requestOnce(url: URL, pinned: { address: string; family: number }, maxBytes: number, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const request = client.get(
      url,
      {
        signal,
        headers: { accept: "image/png,image/jpeg,image/webp,image/*;q=0.8", "user-agent": "Mirage style reference" },
        // The address checked above, whatever a second DNS answer would say (TLS still verifies the name).
        lookup: (_host, options, callback) => {
          if ((options as { all?: boolean }).all) (callback as unknown as (error: null, list: { address: string; family: number }[]) => void)(null, [pinned]);
          else callback(null, pinned.address, pinned.family);
        },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && response.headers.location) {
          response.resume();
          resolve({ redirect: response.headers.location });
          return;
        }
        if (status !== 200) {
          response.resume();
          reject(refused(`the server answered ${status}.`));
          return;
        }
        const type = response.headers["content-type"] ?? "";
        if (!/^image\//i.test(type)) {
          response.resume();
          reject(refused(`it is not an image (${type || "no content type"}).`));
          return;
        }
        if (Number(response.headers["content-length"] ?? 0) > maxBytes) {
          response.destroy();
          reject(refused(`the image is larger than ${maxBytes / 1024 / 1024} MB.`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            response.destroy();
            reject(refused(`the image is larger than ${maxBytes / 1024 / 1024} MB.`));
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => resolve({ body: new Uint8Array(Buffer.concat(chunks)) }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
  });
}

/** The bytes of the image at `address` (https, public, ≤ the upload size, within the timeout). */
export async function fetchReferenceImage(address: string, options: FetchReferenceOptions = {}): Promise<Uint8Array> {
  const { timeoutMs = 10_000, maxBytes = UPLOAD_LIMITS.maxBytes, maxRedirects = 3, isAllowedAddress = isPublicAddress, allowHttp = false } = options;
  const signal = AbortSignal.timeout(timeoutMs);
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw refused("it is not a URL.");
  }
  for (let hop = 0; ; hop++) {
    if (url.protocol !== "https:" && !(allowHttp && url.protocol === "http:")) throw refused(`only https addresses are fetched (got ${url.protocol.replace(":", "")}).`);
    if (url.username || url.password) throw refused("addresses with a user name or password are not fetched.");
    const pinned = await checkedAddress(url, isAllowedAddress);
    let answer: Answer;
    try {
      answer = await requestOnce(url, pinned, maxBytes, signal);
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (signal.aborted) throw refused(`the server did not answer within ${timeoutMs / 1000} s.`);
      throw refused(`the request failed (${error instanceof Error ? error.message : "network error"}).`);
    }
    if ("body" in answer) return answer.body;
    if (hop >= maxRedirects) throw refused(`more than ${maxRedirects} redirects.`);
    url = new URL(answer.redirect, url);
  }
}
