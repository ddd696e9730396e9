#!/usr/bin/python3
"""A real, tiny DPO run on CPU: demos and tests of the trainer server without a GPU.

A byte-level causal transformer (2 layers, d=64) is the policy; a frozen copy of its initial
weights is the reference model. The loss is DPO's sigmoid loss with temperature beta. Every
logging step prints one JSON line on stdout with TRL's metric names:

    {"event": "metrics", "data": {"step": 1, "max_steps": 40, "loss": 0.6931, ...}}

and progress notes as {"event": "message", "level": "info", "message": "..."}.

With --eval-data (a validation set), the same DPO quantities are computed on those held-out pairs
without gradient, against the same frozen reference: before the first step (step 0, the
untrained baseline: loss ln 2), every `eval_steps` steps and after the last one, each as a
metrics line with TRL's evaluation names (`eval_loss`, `eval_rewards/chosen`, ...).

Input: --data, a JSONL file of {"prompt", "chosen", "rejected"} strings (the server normalises
every supported dataset layout to this); --eval-data, the same for the validation set;
--config, a JSON object of job hyperparameters.
Needs PyTorch only (Debian: python3-torch); run it with /usr/bin/python3.
"""

import argparse
import copy
import json
import math
import os
import random
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BOS = 256
VOCAB = 257

DEFAULTS = {
    "beta": 0.1,
    "learning_rate": 3e-4,
    "batch_size": 8,
    "n_epochs": 3,
    "max_length": 128,
    "seed": 42,
    "logging_steps": 1,
    "max_grad_norm": 1.0,
    # None: about ten evaluations a run (see eval_every).
    "eval_steps": None,
}

# What an evaluation reports, under TRL's names without the `eval_` prefix.
EVAL_METRICS = (
    "loss",
    "rewards/chosen",
    "rewards/rejected",
    "rewards/accuracies",
    "rewards/margins",
    "logps/chosen",
    "logps/rejected",
)


def emit(obj):
    sys.stdout.write(json.dumps(obj, allow_nan=False) + "\n")
    sys.stdout.flush()


def message(text, level="info"):
    emit({"event": "message", "level": level, "message": text})


def finite(x):
    return x if math.isfinite(x) else None


class TinyCausalLM(nn.Module):
    def __init__(self, max_len, d_model=64, n_layers=2, n_heads=4):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(
            d_model, n_heads, dim_feedforward=4 * d_model, dropout=0.0, batch_first=True, norm_first=True
        )
        self.blocks = nn.TransformerEncoder(layer, n_layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, VOCAB)

    def forward(self, ids):
        n = ids.shape[1]
        pos = torch.arange(n, device=ids.device)
        causal = torch.triu(torch.full((n, n), float("-inf")), diagonal=1)
        h = self.tok(ids) + self.pos(pos)[None]
        # Right padding only: the causal mask already keeps real tokens from seeing padding.
        h = self.blocks(h, mask=causal)
        return self.head(self.norm(h))


def encode(prompt, response, max_length):
    p = prompt.encode("utf-8")
    r = response.encode("utf-8")
    budget = max_length - min(len(p), max_length // 2)
    r = r[:budget]
    room = max_length - len(r)
    p = p[-room:] if room > 0 else b""
    return [BOS] + list(p), list(r)


def collate(items, max_length):
    """items: list of (prompt_ids, response_ids). Returns ids and a mask over predicted tokens."""
    width = max(len(p) + len(r) for p, r in items)
    ids = torch.zeros((len(items), width), dtype=torch.long)
    mask = torch.zeros((len(items), width - 1), dtype=torch.float32)
    for i, (p, r) in enumerate(items):
        seq = p + r
        ids[i, : len(seq)] = torch.tensor(seq, dtype=torch.long)
        # Position t predicts token t+1: response tokens sit at len(p) .. len(seq)-1.
        mask[i, len(p) - 1 : len(seq) - 1] = 1.0
    return ids, mask


def pair_batch(batch, max_length):
    """Chosen then rejected sequences of a batch of encoded pairs, padded to one width: ids, the
    mask over predicted response tokens, and the number of pairs."""
    chosen_ids, chosen_mask = collate([c for c, _ in batch], max_length)
    rejected_ids, rejected_mask = collate([r for _, r in batch], max_length)
    width = max(chosen_ids.shape[1], rejected_ids.shape[1])
    ids = torch.cat([F.pad(chosen_ids, (0, width - chosen_ids.shape[1])),
                     F.pad(rejected_ids, (0, width - rejected_ids.shape[1]))])
    mask = torch.cat([F.pad(chosen_mask, (0, width - 1 - chosen_mask.shape[1])),
                      F.pad(rejected_mask, (0, width - 1 - rejected_mask.shape[1]))])
    return ids, mask, len(batch)


def sequence_logps(model, ids, mask):
    logits = model(ids)[:, :-1]
    logp = torch.log_softmax(logits, dim=-1)
    token_logp = torch.gather(logp, 2, ids[:, 1:, None]).squeeze(2)
    return (token_logp * mask).sum(-1), logits


def mean_completion_logits(logits, mask):
    denom = mask.sum() * logits.shape[-1]
    return ((logits * mask[..., None]).sum() / denom).item() if denom > 0 else 0.0


def eval_every(cfg, max_steps):
    """Steps between evaluations: the job's eval_steps, else about ten evaluations a run."""
    if cfg.get("eval_steps"):
        return max(1, int(cfg["eval_steps"]))
    return max(1, math.ceil(max_steps / 10))


class Evaluator:
    """DPO on held-out pairs, without gradient. The reference model is frozen, so its
    log-probabilities are computed once and reused by every evaluation."""

    def __init__(self, pairs, reference, beta, batch_size, max_length):
        encoded = [(encode(p, c, max_length), encode(p, r, max_length)) for p, c, r in pairs]
        self.beta = beta
        self.count = len(encoded)
        self.batches = [pair_batch(encoded[i:i + batch_size], max_length) for i in range(0, len(encoded), batch_size)]
        with torch.no_grad():
            self.ref_logps = [sequence_logps(reference, ids, mask)[0] for ids, mask, _ in self.batches]

    def __call__(self, policy):
        was_training = policy.training
        policy.eval()
        sums = dict.fromkeys(EVAL_METRICS, 0.0)
        with torch.no_grad():
            for (ids, mask, n), ref_logps in zip(self.batches, self.ref_logps):
                logps, _ = sequence_logps(policy, ids, mask)
                chosen_rewards = self.beta * (logps[:n] - ref_logps[:n])
                rejected_rewards = self.beta * (logps[n:] - ref_logps[n:])
                # Sums over pairs, so a short last batch weighs what it holds.
                sums["loss"] += (-F.logsigmoid(chosen_rewards - rejected_rewards)).sum().item()
                sums["rewards/chosen"] += chosen_rewards.sum().item()
                sums["rewards/rejected"] += rejected_rewards.sum().item()
                sums["rewards/accuracies"] += (chosen_rewards > rejected_rewards).float().sum().item()
                sums["rewards/margins"] += (chosen_rewards - rejected_rewards).sum().item()
                sums["logps/chosen"] += logps[:n].sum().item()
                sums["logps/rejected"] += logps[n:].sum().item()
        if was_training:
            policy.train()
        return {"eval_" + key: finite(total / self.count) for key, total in sums.items()}


def load_pairs(path):
    pairs = []
    with open(path, "r", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            for key in ("prompt", "chosen", "rejected"):
                if not isinstance(rec.get(key), str):
                    raise ValueError("line %d: %r must be a string" % (n, key))
            pairs.append((rec["prompt"], rec["chosen"], rec["rejected"]))
    if not pairs:
        raise ValueError("no pairs in %s" % path)
    return pairs


def resolve_config(raw):
    cfg = dict(DEFAULTS)
    for key, value in raw.items():
        if value is not None and value != "auto":
            cfg[key] = value
    if "learning_rate" not in raw and isinstance(raw.get("learning_rate_multiplier"), (int, float)):
        cfg["learning_rate"] = DEFAULTS["learning_rate"] * raw["learning_rate_multiplier"]
    return cfg


def train(pairs, cfg, output_dir=None, eval_pairs=None):
    torch.set_num_threads(1)
    torch.manual_seed(int(cfg["seed"]))
    rng = random.Random(int(cfg["seed"]))
    max_length = int(cfg["max_length"])
    batch_size = int(cfg["batch_size"])
    beta = float(cfg["beta"])
    lr = float(cfg["learning_rate"])
    steps_per_epoch = math.ceil(len(pairs) / batch_size)
    max_steps = int(cfg.get("max_steps") or int(cfg["n_epochs"]) * steps_per_epoch)
    logging_steps = int(cfg["logging_steps"])

    encoded = [
        (encode(p, c, max_length), encode(p, r, max_length)) for p, c, r in pairs
    ]
    policy = TinyCausalLM(max_length + 1)
    reference = copy.deepcopy(policy).eval()
    for param in reference.parameters():
        param.requires_grad_(False)
    optimizer = torch.optim.AdamW(policy.parameters(), lr=lr, weight_decay=0.0)
    # Linear decay to zero over the run, no warm-up: the default schedule of transformers' Trainer.
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: max(0.0, 1.0 - s / max_steps))
    n_params = sum(p.numel() for p in policy.parameters())
    message(
        "tiny DPO: %d pairs, %d parameters, %d steps, batch %d, beta %g, learning rate %g"
        % (len(pairs), n_params, max_steps, batch_size, beta, lr)
    )
    evaluator = None
    if eval_pairs:
        evaluator = Evaluator(eval_pairs, reference, beta, batch_size, max_length)
        every = eval_every(cfg, max_steps)
        message("evaluating on %d held-out pairs every %d steps" % (len(eval_pairs), every))

    def evaluate(step):
        data = {"step": step, "max_steps": max_steps}
        data.update(evaluator(policy))
        data["epoch"] = round(step * batch_size / len(pairs), 4)
        emit({"event": "metrics", "data": data})

    if evaluator:
        evaluate(0)

    order = []
    window = []
    started = time.time()
    for step in range(1, max_steps + 1):
        batch = []
        while len(batch) < batch_size:
            if not order:
                order = list(range(len(encoded)))
                rng.shuffle(order)
            batch.append(encoded[order.pop()])
        ids, mask, n = pair_batch(batch, max_length)

        current_lr = scheduler.get_last_lr()[0]
        policy.train()
        logps, logits = sequence_logps(policy, ids, mask)
        with torch.no_grad():
            ref_logps, _ = sequence_logps(reference, ids, mask)
        chosen_logratio = logps[:n] - ref_logps[:n]
        rejected_logratio = logps[n:] - ref_logps[n:]
        dpo_logits = beta * (chosen_logratio - rejected_logratio)
        loss = -F.logsigmoid(dpo_logits).mean()

        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(policy.parameters(), float(cfg["max_grad_norm"]))
        optimizer.step()
        scheduler.step()

        with torch.no_grad():
            chosen_rewards = beta * chosen_logratio.detach()
            rejected_rewards = beta * rejected_logratio.detach()
            window.append({
                "loss": loss.item(),
                "rewards/chosen": chosen_rewards.mean().item(),
                "rewards/rejected": rejected_rewards.mean().item(),
                "rewards/accuracies": (chosen_rewards > rejected_rewards).float().mean().item(),
                "rewards/margins": (chosen_rewards - rejected_rewards).mean().item(),
                "logps/chosen": logps[:n].detach().mean().item(),
                "logps/rejected": logps[n:].detach().mean().item(),
                "logits/chosen": mean_completion_logits(logits[:n].detach(), mask[:n]),
                "logits/rejected": mean_completion_logits(logits[n:].detach(), mask[n:]),
                "grad_norm": float(grad_norm),
            })
        if step % logging_steps == 0 or step == max_steps:
            data = {"step": step, "max_steps": max_steps}
            for key in window[0]:
                data[key] = finite(sum(w[key] for w in window) / len(window))
            data["learning_rate"] = current_lr
            data["epoch"] = round(step * batch_size / len(pairs), 4)
            emit({"event": "metrics", "data": data})
            window = []
        if evaluator and (step % every == 0 or step == max_steps):
            evaluate(step)

    if output_dir:
        os.makedirs(output_dir, exist_ok=True)
        torch.save(policy.state_dict(), os.path.join(output_dir, "policy.pt"))
    message("training finished: %d steps in %.1f s" % (max_steps, time.time() - started))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="JSONL of prompt/chosen/rejected strings")
    parser.add_argument("--config", help="JSON file with hyperparameters")
    parser.add_argument("--output-dir", help="where to save the trained weights")
    parser.add_argument("--eval-data", help="JSONL of held-out prompt/chosen/rejected strings to evaluate on")
    args = parser.parse_args(argv)
    raw = {}
    if args.config:
        with open(args.config, "r", encoding="utf-8") as f:
            raw = json.load(f)
    try:
        pairs = load_pairs(args.data)
    except (OSError, ValueError) as err:
        message("cannot read the dataset: %s" % err, "error")
        return 1
    eval_pairs = None
    if args.eval_data:
        try:
            eval_pairs = load_pairs(args.eval_data)
        except (OSError, ValueError) as err:
            message("cannot read the validation set: %s" % err, "error")
            return 1
    train(pairs, resolve_config(raw), args.output_dir, eval_pairs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
