"""Natural, varied captions for rendered scenes.

Training captions are drawn at random from several phrasings so the model
learns the meaning of words rather than one template.  Evaluation prompts use
one fixed, plain phrasing (`canonical_caption`).  Style axes always use their
canonical phrases, because personalization steers by adding exactly those.
"""
import numpy as np

from render import STYLE_AXES

# (phrase for value -1, phrase for value +1)
STYLE_PHRASES = {
    "saturation": ("muted colours", "vivid colours"),
    "temperature": ("cool tones", "warm tones"),
    "brightness": ("dark palette", "light palette"),
    "outline": ("no outline", "ink outline"),
    "shading": ("flat shading", "soft shading"),
    "detail": ("minimal", "detailed"),
}

# Pixel statistic for each axis (see evaluate.py) and the direction the
# +1 phrase must move it.
STYLE_STATS = {
    "saturation": "mean_saturation",
    "temperature": "warmth",
    "brightness": "mean_luminance",
    "outline": "thin_dark_fraction",
    "shading": "soft_gradient_fraction",
    "detail": "high_frequency_energy",
}

POSITION_PHRASES = {
    "left": ["on the left", "on the left side", "to the left"],
    "right": ["on the right", "on the right side", "to the right"],
    "top": ["at the top", "near the top", "in the upper part"],
    "bottom": ["at the bottom", "near the bottom", "in the lower part"],
    "centre": ["in the centre", "in the center", "in the middle"],
}

BACKGROUND_PHRASES = {
    "plain": ["on a plain background", "on a blank background", "with a plain background"],
    "sunset": ["under a sunset sky", "at sunset", "with a sunset background"],
    "night": ["under a night sky with stars", "at night", "against a starry night sky"],
    "meadow": ["over a green meadow", "above the grass", "in a meadow under a blue sky"],
    "sea": ["above the sea", "over the ocean", "by the sea"],
    "snow": ["in the snow", "over a snowy field", "in a snowy landscape"],
}

SIZE_WORDS = {"small": ["small", "little", "tiny"], "large": ["large", "big", "huge"]}
PREFIXES = ["", "", "", "a picture of ", "an illustration of ", "a drawing of "]


def _article(word):
    return "an" if word[0] in "aeiou" else "a"


def _noun_phrase(obj, rng, drop_size, drop_colour):
    words = []
    if not drop_size:
        words.append(SIZE_WORDS[obj["size"]][rng.integers(3)])
    if not drop_colour:
        words.append(obj["colour"])
    words.append(obj["subject"])
    return _article(words[0]) + " " + " ".join(words)


def _style_phrases(scene):
    out = []
    for axis in STYLE_AXES:
        v = scene["styles"][axis]
        if v:
            out.append(STYLE_PHRASES[axis][(v + 1) // 2])
    return out


def random_caption(scene, rng):
    """A training caption.  Size, position and background phrases are each
    dropped some of the time so short prompts work too; subjects and (almost
    always) colours stay."""
    objs = scene["objects"]
    parts = []
    if len(objs) == 1:
        o = objs[0]
        np_ = _noun_phrase(o, rng, rng.random() < 0.15, rng.random() < 0.05)
        pos = "" if rng.random() < 0.15 else POSITION_PHRASES[o["position"]][rng.integers(3)]
        parts.append((PREFIXES[rng.integers(len(PREFIXES))] + np_ + (" " + pos if pos else "")).strip())
    else:
        # two objects: positions always given, they say which is which
        nps = [_noun_phrase(o, rng, rng.random() < 0.15, False) + " "
               + POSITION_PHRASES[o["position"]][rng.integers(3)] for o in objs]
        parts.append(nps[0] + " and " + nps[1])
    if rng.random() >= 0.15:
        bg = BACKGROUND_PHRASES[scene["background"]][rng.integers(3)]
        parts[0] = parts[0] + (", " if rng.random() < 0.5 else " ") + bg
    styles = _style_phrases(scene)
    order = rng.permutation(len(styles))
    parts += [styles[i] for i in order]
    return ", ".join(parts)


def canonical_caption(scene):
    """The fixed evaluation phrasing: 'a large red house on the left, under a
    sunset sky, muted colours'."""
    objs = scene["objects"]
    nps = ["%s %s %s %s %s" % (_article(o["size"]), o["size"], o["colour"], o["subject"],
                               POSITION_PHRASES[o["position"]][0]) for o in objs]
    text = " and ".join(nps) + ", " + BACKGROUND_PHRASES[scene["background"]][0]
    styles = _style_phrases(scene)
    return ", ".join([text] + styles)


def vocabulary_words():
    """Every word any caption can contain (for the tokenizer's whole-word
    merges).  Words outside this set still tokenize, byte by byte."""
    from render import SUBJECTS, COLOURS
    text = []
    text += SUBJECTS + list(COLOURS)
    for d in (POSITION_PHRASES, BACKGROUND_PHRASES, SIZE_WORDS):
        for v in d.values():
            text += v
    for a, b in STYLE_PHRASES.values():
        text += [a, b]
    text += PREFIXES + ["a", "an", "and"]
    # a few words users will naturally type; gives them whole-word ids too
    text += ["the", "of", "with", "on", "in", "at", "photo", "image", "scene", "sky", "colour",
             "color", "colors", "background", "outline", "shading", "centred", "centered",
             "dynamic", "composition", "gray", "grey", "brown", "cyan", "light", "dark"]
    words = set()
    for t in text:
        words.update(t.replace(",", " ").split())
    return sorted(words)
