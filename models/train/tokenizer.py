"""A small CLIP-compatible BPE tokenizer, built for the caption vocabulary.

The files it writes (vocab.json, merges.txt) follow CLIP's layout exactly:
ids 0-255 are the GPT-2 byte-level characters, 256-511 the same characters
with the end-of-word marker `</w>`, then one id per merge in merge order, then
<|startoftext|> and <|endoftext|> as the last two ids.  Merges are chosen so
that every caption word becomes a single `word</w>` token under the standard
CLIP BPE algorithm (lowest-rank pair first); any other text still encodes,
falling back to byte-level characters.

`encode` below is an independent implementation of CLIP's algorithm and is
what training uses, so the ids the model saw are the ids any standard CLIP
tokenizer produces from these files.
"""
import json
import os
import re
import unicodedata

SOT, EOT = "<|startoftext|>", "<|endoftext|>"
MAX_LEN = 77


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable unicode character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) \
        + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_ENCODER = bytes_to_unicode()
# CLIP's pre-tokenizer; \p{L} approximated by [^\W\d_] (letters), \p{N} by \d.
PAT = re.compile(r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|[^\s\w]+|_+""",
                 re.IGNORECASE)


def _bpe(word, ranks):
    """CLIP BPE of one pre-token (already byte-encoded)."""
    symbols = list(word[:-1]) + [word[-1] + "</w>"]
    while len(symbols) > 1:
        pairs = [(ranks.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(symbols, symbols[1:]))]
        best = min(pairs)[0]
        if best == 1 << 30:
            break
        a_b = None
        for r, i in pairs:
            if r == best:
                a_b = (symbols[i], symbols[i + 1])
                break
        merged, i = [], 0
        while i < len(symbols):
            if i < len(symbols) - 1 and (symbols[i], symbols[i + 1]) == a_b:
                merged.append(symbols[i] + symbols[i + 1])
                i += 2
            else:
                merged.append(symbols[i])
                i += 1
        symbols = merged
    return symbols


class Tokenizer:
    def __init__(self, vocab, merges):
        self.vocab = vocab
        self.merges = merges
        self.ranks = {tuple(m): i for i, m in enumerate(merges)}
        self.sot = vocab[SOT]
        self.eot = vocab[EOT]
        self._word_cache = {}

    @classmethod
    def build(cls, words):
        chars = [BYTE_ENCODER[b] for b in range(256)]
        vocab_list = chars + [c + "</w>" for c in chars]
        merges = []
        ranks = {}
        for w in words:
            enc = "".join(BYTE_ENCODER[b] for b in w.encode("utf-8"))
            # Whatever existing merges already make of this word, then merge the
            # pieces left to right with new (higher-rank) merges; earlier words
            # are single tokens already, so new merges cannot disturb them.
            # A merge applies to every occurrence of its pair, so re-run BPE
            # after each new merge instead of assuming the chain.
            pieces = _bpe(enc, ranks)
            while len(pieces) > 1:
                pair = (pieces[0], pieces[1])
                ranks[pair] = len(merges)
                merges.append(pair)
                vocab_list.append(pair[0] + pair[1])
                pieces = _bpe(enc, ranks)
        vocab_list += [SOT, EOT]
        vocab = {t: i for i, t in enumerate(vocab_list)}
        tok = cls(vocab, merges)
        for w in words:
            ids = tok.encode(w)
            assert len(ids) == 3, (w, ids)  # SOT, word, EOT
        return tok

    @staticmethod
    def normalize(text):
        text = unicodedata.normalize("NFC", text)
        return re.sub(r"\s+", " ", text).strip().lower()

    def encode(self, text):
        """Token ids with SOT/EOT, not padded."""
        ids = [self.sot]
        for m in PAT.findall(self.normalize(text)):
            if m not in self._word_cache:
                enc = "".join(BYTE_ENCODER[b] for b in m.encode("utf-8"))
                self._word_cache[m] = [self.vocab[s] for s in _bpe(enc, self.ranks)]
            ids += self._word_cache[m]
        ids = ids[:MAX_LEN - 1] + [self.eot]
        return ids

    def __call__(self, text):
        """77 ids padded with EOT (SD 1.x convention, pad_token = EOT)."""
        ids = self.encode(text)
        return ids + [self.eot] * (MAX_LEN - len(ids))

    def __len__(self):
        return len(self.vocab)

    def save(self, folder):
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
            json.dump(self.vocab, f, ensure_ascii=False)
        with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
            f.write("#version: 0.2\n")
            for a, b in self.merges:
                f.write("%s %s\n" % (a, b))
        special = {
            "bos_token": {"content": SOT, "lstrip": False, "normalized": True, "rstrip": False, "single_word": False},
            "eos_token": {"content": EOT, "lstrip": False, "normalized": True, "rstrip": False, "single_word": False},
            "pad_token": EOT,
            "unk_token": {"content": EOT, "lstrip": False, "normalized": True, "rstrip": False, "single_word": False},
        }
        with open(os.path.join(folder, "special_tokens_map.json"), "w") as f:
            json.dump(special, f, indent=2)
        config = {
            "add_prefix_space": False,
            "bos_token": special["bos_token"],
            "clean_up_tokenization_spaces": True,
            "do_lower_case": True,
            "eos_token": special["eos_token"],
            "errors": "replace",
            "model_max_length": MAX_LEN,
            "pad_token": EOT,
            "tokenizer_class": "CLIPTokenizer",
            "unk_token": special["unk_token"],
        }
        with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
            json.dump(config, f, indent=2)

    @classmethod
    def load(cls, folder):
        with open(os.path.join(folder, "vocab.json"), encoding="utf-8") as f:
            vocab = json.load(f)
        with open(os.path.join(folder, "merges.txt"), encoding="utf-8") as f:
            lines = f.read().split("\n")[1:]
        merges = [tuple(l.split()) for l in lines if l.strip()]
        return cls(vocab, merges)


def build_default():
    from captions import vocabulary_words
    return Tokenizer.build(vocabulary_words())


if __name__ == "__main__":
    tok = build_default()
    print(len(tok), "ids,", len(tok.merges), "merges")
    print(tok.encode("a large red house on the left, under a sunset sky, muted colours"))
    print(tok.encode("A Zebra!! 2016"))
