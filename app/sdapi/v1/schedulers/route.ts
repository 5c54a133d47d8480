import { a1111Route } from "@/lib/protocols/a1111/route";

// The noise schedules A1111 ≥ 1.9 lists separately (lib/protocols/a1111/samplers.ts).
export const GET = a1111Route(async () => [
  { name: "automatic", label: "Automatic", aliases: null, default_rho: -1, need_inner_model: false },
  { name: "uniform", label: "Uniform", aliases: ["normal"], default_rho: -1, need_inner_model: false },
  { name: "karras", label: "Karras", aliases: null, default_rho: 7, need_inner_model: false },
  { name: "exponential", label: "Exponential", aliases: null, default_rho: -1, need_inner_model: false },
  { name: "beta", label: "Beta", aliases: null, default_rho: -1, need_inner_model: false },
]);
