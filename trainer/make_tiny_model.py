#!/usr/bin/env python3
"""Write a tiny Hugging Face causal language model into DIR, offline.

    python trainer/make_tiny_model.py DIR [--corpus FILE]... [--layers 2] [--hidden 64] [--seed 0]

The folder holds a Llama-style config with a few layers and weights (safetensors) that start random
and get a few hundred steps of next-token prediction on the corpus, and a byte-level BPE tokenizer trained here with `tokenizers` on trainer/tiny_corpus.txt (our own text)
plus any --corpus files, with a chat template so conversational datasets work too. It loads with
`AutoModelForCausalLM.from_pretrained(DIR)` and `AutoTokenizer.from_pretrained(DIR)` without a
model hub, which is what the trl backend's tests and `npm start` train on a CPU. Its answers are
corpus words strung together: it exists to run the real training engine end to end, not to write.

Prints one JSON line: {"model_dir": ..., "parameters": ..., "vocab_size": ...}.
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.join(HERE, "tiny_corpus.txt")
SPECIAL_TOKENS = ["<|pad|>", "<|bos|>", "<|eos|>", "<|user|>", "<|assistant|>", "<|system|>"]
# A chat template of our own: role markers as special tokens, the generation prompt opens the
# assistant's turn. TRL applies it to conversational records.
CHAT_TEMPLATE = (
    "{{ bos_token }}"
    "{% for message in messages %}"
    "{{ '<|' + message['role'] + '|>' + message['content'] + eos_token }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}"
)


def corpus_lines(paths):
    for path in paths:
        with open(path, "r", encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    yield line


def train_tokenizer(paths, vocab_size):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(list(corpus_lines(paths)), trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<|bos|>",
        eos_token="<|eos|>",
        pad_token="<|pad|>",
        additional_special_tokens=["<|user|>", "<|assistant|>", "<|system|>"],
    )
    fast.chat_template = CHAT_TEMPLATE
    fast.model_max_length = 512
    return fast


def pretrain(model, tokenizer, lines, steps, seed, batch_size=8):
    """A few hundred steps of next-token prediction on the corpus lines, so the model answers in
    words of the corpus instead of random bytes (enough for the tone scores of an evaluation to
    have something to read; it still knows nothing)."""
    import random

    import torch

    rng = random.Random(seed)
    # One running text (no end-of-text between lines), so an answer goes on in words.
    stream = tokenizer(" ".join(lines), add_special_tokens=False)["input_ids"]
    window = min(64, len(stream) - 1)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(steps):
        starts = [rng.randrange(0, len(stream) - window) for _ in range(batch_size)]
        ids = torch.tensor([stream[s : s + window] for s in starts])
        loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    model.eval()


def make_model(out_dir, corpus=(), layers=2, hidden=64, heads=4, vocab_size=512, seed=0, pretrain_steps=200):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    paths = [DEFAULT_CORPUS, *corpus]
    tokenizer = train_tokenizer(paths, vocab_size)
    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden,
        intermediate_size=hidden * 2,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        num_key_value_heads=heads,
        max_position_embeddings=512,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=True,
    )
    model = LlamaForCausalLM(config)
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    if pretrain_steps:
        pretrain(model, tokenizer, list(corpus_lines(paths)), pretrain_steps, seed)
    os.makedirs(out_dir, exist_ok=True)
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    return {
        "model_dir": os.path.abspath(out_dir),
        "parameters": sum(p.numel() for p in model.parameters()),
        "vocab_size": len(tokenizer),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--corpus", action="append", default=[], help="more text to train the tokenizer on")
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--vocab-size", type=int, default=512)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pretrain-steps", type=int, default=200, help="next-token steps on the corpus (0: random weights)")
    args = parser.parse_args(argv)
    info = make_model(args.dir, args.corpus, args.layers, args.hidden, args.heads, args.vocab_size, args.seed, args.pretrain_steps)
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
