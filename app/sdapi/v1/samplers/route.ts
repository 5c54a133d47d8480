import { A1111_SAMPLERS } from "@/lib/protocols/a1111/samplers";
import { a1111Route } from "@/lib/protocols/a1111/route";

export const GET = a1111Route(async () => A1111_SAMPLERS.map((sampler) => ({ name: sampler.name, aliases: sampler.aliases, options: {} })));
