import { describe, expect, it } from "vitest";
import { z } from "zod";
import { mapGroups } from "@/lib/auth/oidc";
import { oidcSettings, refineOidc, ZOidcFields } from "@/lib/config/oidc";
import { parseEnv } from "@/lib/config/parse-env";

const ZSchema = z.object(ZOidcFields).superRefine(refineOidc);
const parse = (env: Record<string, string>) => parseEnv(ZSchema, env, "web");

describe("single sign-on configuration", () => {
  it("is off with no variables, and on with all three", () => {
    expect(oidcSettings(parse({}))).toBeNull();
    const settings = oidcSettings(parse({ OIDC_ISSUER: "https://sso.example.test/", OIDC_CLIENT_ID: "c", OIDC_CLIENT_SECRET: "s", OIDC_ROLE_MAP: "ops=admin", OIDC_PLAN_MAP: "art=Pro, all=Basic" }));
    expect(settings).toMatchObject({ issuer: "https://sso.example.test", roleMap: [["ops", "admin"]], planMap: [["art", "Pro"], ["all", "Basic"]], trusted: false });
  });

  it("names each missing variable of a partial configuration", () => {
    expect(() => parse({ OIDC_ISSUER: "https://sso.example.test" })).toThrow(/OIDC_CLIENT_ID: is required.*OIDC_CLIENT_SECRET: is required/);
  });

  it("refuses passwords off without single sign-on, and malformed maps", () => {
    expect(() => parse({ PASSWORD_SIGNIN: "off" })).toThrow(/PASSWORD_SIGNIN: cannot be off without single sign-on/);
    expect(() => parse({ OIDC_ROLE_MAP: "ops=root" })).toThrow(/OIDC_ROLE_MAP/);
    expect(() => parse({ OIDC_PLAN_MAP: "just-a-group" })).toThrow(/OIDC_PLAN_MAP: "just-a-group" is not group=value/);
  });

  it("maps groups: any admin group makes an admin, the first listed plan group wins", () => {
    const maps = { roleMap: [["ops", "admin"]] as Array<[string, "admin" | "user"]>, planMap: [["art", "Pro"], ["all", "Basic"]] as Array<[string, string]> };
    expect(mapGroups(maps, ["all", "art", "ops"])).toEqual({ role: "admin", plan: "Pro" });
    expect(mapGroups(maps, ["all"])).toEqual({ role: "user", plan: "Basic" });
    expect(mapGroups({ roleMap: null, planMap: null }, ["ops"])).toEqual({ role: undefined, plan: undefined });
  });
});
