// Parameters that change how an image is rendered rather than what it shows:
// --q, --stop, --tile, --weird, --exp, and the model choice --v / --niji.
// What each does in the engine: docs/prompt-language.md §5–§8.

import { GENERATION_LIMITS, MODEL_ALIAS, MODEL_VERSION } from "./recipe";
import { fail, flagParameter, numberParameter, ok, type TParameterSpec } from "./spec";
import { shown } from "./text";

const QUALITY_TEXT = ".25, .5, 1, 2 or 4";

const quality: TParameterSpec = {
  name: "--q",
  aliases: ["--quality"],
  takes: QUALITY_TEXT,
  description: "Quality: denoising steps (and GPU time) as a multiple of the standard. .25 is rough and cheap, 2 and 4 are finer and cost 2× and 4×. Default 1.",
  example: "--q 2",
  slot: "quality",
  read(value, { spelling }) {
    if (value === "") return fail(`${spelling} needs a value: ${QUALITY_TEXT}.`);
    const number = /^[0-9]*\.?[0-9]+$/.test(value) ? Number(value) : Number.NaN;
    const allowed: readonly number[] = GENERATION_LIMITS.quality.values;
    if (!allowed.includes(number)) return fail(`${spelling} must be ${QUALITY_TEXT} (got ${shown(value)}).`);
    return ok({ quality: number });
  },
  format: ({ quality }) => (quality === GENERATION_LIMITS.quality.defaultValue ? null : `--q ${quality}`),
};

/** `--v N` and `--niji [N]` share one slot: both choose the model. */
const MODEL_CHOICE = "model (--v or --niji)";

const version: TParameterSpec = {
  name: "--v",
  aliases: ["--version"],
  takes: "a version number, e.g. 7 or 6.1",
  description: `Model version: runs the model your admin set up for that version; Mirage's own is ${MODEL_VERSION}. A version with no model here runs on the default model and is listed as ignored.`,
  example: `--v ${MODEL_VERSION}`,
  slot: "modelAlias",
  conflictLabel: MODEL_CHOICE,
  read(value, { spelling }) {
    const alias = `v${value}`;
    if (value === "" || !MODEL_ALIAS.test(alias)) return fail(`${spelling} must be a version number such as ${MODEL_VERSION} or 6.1 (got ${value === "" ? "nothing" : shown(value)}).`);
    // Mirage's own version is the default model: nothing to choose.
    return ok({ modelAlias: value === MODEL_VERSION ? null : alias });
  },
  format: ({ modelAlias }) => (modelAlias?.startsWith("v") ? `--v ${modelAlias.slice(1)}` : null),
};

const niji: TParameterSpec = {
  name: "--niji",
  aliases: [],
  takes: "optional version number, e.g. 6",
  description: "The anime-style model your admin set up as niji (or niji N). Without one here the default model runs and --niji is listed as ignored.",
  example: "--niji 6",
  slot: "modelAlias",
  conflictLabel: MODEL_CHOICE,
  read(value, { spelling }) {
    const alias = `niji${value}`;
    if (!MODEL_ALIAS.test(alias)) return fail(`${spelling} takes no value or a version number such as 6 (got ${shown(value)}).`);
    return ok({ modelAlias: alias });
  },
  format: ({ modelAlias }) => (modelAlias?.startsWith("niji") ? ["--niji", modelAlias.slice(4)].filter(Boolean).join(" ") : null),
};

export const GENERATION_PARAMETERS: readonly TParameterSpec[] = [
  quality,
  numberParameter({
    name: "--stop",
    aliases: [],
    field: "stop",
    ...GENERATION_LIMITS.stop,
    description: "Stop after this percentage of the steps and show the unfinished image: softer, less detailed, cheaper. Default 100.",
    example: "--stop 50",
  }),
  flagParameter({
    name: "--tile",
    slot: "tile",
    description: "A seamless tile: the image wraps at its edges, for patterns and textures.",
    patch: { tile: true },
    isSet: ({ tile }) => tile,
  }),
  numberParameter({
    name: "--weird",
    aliases: ["--w"],
    field: "weird",
    ...GENERATION_LIMITS.weird,
    description: "Unusual styles: pushes the images along unusual style directions picked from the seed, further the higher. Default 0.",
    example: "--weird 250",
  }),
  numberParameter({
    name: "--exp",
    aliases: [],
    field: "exp",
    ...GENERATION_LIMITS.exp,
    description: "Experimental aesthetics: stronger house style and more detail and contrast, the higher the more. Default 0.",
    example: "--exp 25",
  }),
  version,
  niji,
];
