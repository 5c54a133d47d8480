import type { TestProject } from "vitest/node";
import { startTestServices } from "../support/test-services";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    redisPrefix: string;
  }
}

export default async function setup(project: TestProject) {
  const services = await startTestServices();
  project.provide("databaseUrl", services.databaseUrl);
  project.provide("redisUrl", services.redisUrl);
  project.provide("redisPrefix", services.redisPrefix);
  return () => services.stop();
}
