import { readJson } from "@/lib/api/route";
import { txt2img } from "@/lib/protocols/a1111/generate";
import { a1111Route } from "@/lib/protocols/a1111/route";
import { ZTxt2ImgRequest } from "@/lib/protocols/a1111/schemas";

export const POST = a1111Route(async ({ req, principal, web }) => txt2img(web, principal, await readJson(req, ZTxt2ImgRequest), req.signal));
