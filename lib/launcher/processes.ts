import { spawn, type ChildProcess } from "node:child_process";
import type { Logger } from "@/lib/log";

export interface ManagedProcess {
  name: string;
  stop(timeoutMs: number): Promise<void>;
}

/**
 * Starts a child that inherits stdout/stderr (its logs are already structured)
 * and restarts it when it dies unexpectedly, backing off up to 30 s. `onGiveUp`
 * runs if it keeps failing within a minute of starting.
 */
export function superviseProcess(options: {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  log: Logger;
  onGiveUp: (reason: string) => void;
}): ManagedProcess {
  const { name, log } = options;
  let child: ChildProcess | null = null;
  let stopping = false;
  let quickFailures = 0;

  const launch = () => {
    const startedAt = Date.now();
    const current = spawn(process.execPath, options.args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "inherit", "inherit"] });
    child = current;
    current.once("exit", (code, signal) => {
      if (stopping) return;
      quickFailures = Date.now() - startedAt < 60_000 ? quickFailures + 1 : 0;
      if (code === 78) return options.onGiveUp(`${name} rejected its configuration (see the message above)`);
      if (quickFailures >= 5) return options.onGiveUp(`${name} keeps exiting (last: code ${code}, signal ${signal})`);
      const delay = Math.min(30_000, 1_000 * 2 ** quickFailures);
      log.warn({ process: name, code, signal, restartInMs: delay }, "process exited; restarting");
      setTimeout(() => !stopping && launch(), delay).unref();
    });
  };
  launch();

  return {
    name,
    async stop(timeoutMs) {
      stopping = true;
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => current.once("exit", () => resolve()));
      current.kill("SIGTERM");
      const timer = setTimeout(() => current.kill("SIGKILL"), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
