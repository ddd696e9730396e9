#!/usr/bin/env python3
"""GPU backend of the Dialogue Curator trainer: TRL's DPOTrainer, one or many GPUs.

The server starts it through `accelerate launch` (with an optional accelerate config file for
multi-GPU, DeepSpeed or FSDP), so distribution is accelerate's business, not ours:

    accelerate launch [--config_file F] trl_dpo.py --config config.json --data dataset.jsonl \
        --output-dir out/ [--eval-data validation.jsonl]

config.json: {"model": ..., "hyperparameters": {...}, "peft": {...} | null, "output_dir": ...}
dataset.jsonl: TRL preference records (prompt/chosen/rejected: strings or message lists).
validation.jsonl (optional, same layout): passed as `eval_dataset`, evaluated every `eval_steps`
(TRL's default: every `logging_steps`) and once more at the end; TRL logs those values with an
`eval_` prefix (`eval_loss`, `eval_rewards/chosen`, ...) and they go out like any other log dict.

Every `on_log` of the trainer becomes one JSON line on stdout, written by the main process only:
    {"event": "metrics", "data": {"step": 10, "max_steps": 500, "loss": 0.69, "rewards/chosen": ...}}
Needs: torch, transformers, datasets, trl, accelerate; peft for LoRA; bitsandbytes for 4-bit.
The functions above `main` import none of them, so they can be tested anywhere.

Written against TRL main of early 2026 (DPOConfig without `max_prompt_length`; DPOTrainer takes
`processing_class`), TRL 0.12-0.28 and TRL 0.11 (`tokenizer`), and transformers 4.45 to 4.57
(`dtype` replaced `torch_dtype` in 4.56). test/unit/trl-backend.test.ts runs it end to end
against signature-faithful fakes of those releases (test/fixtures/fake-trl/).
"""

import argparse
import inspect
import json
import math
import os
import re
import sys

# TRL's defaults for DPO (DPOConfig), used when the job does not say.
TRL_DEFAULT_LEARNING_RATE = 1e-6
DEFAULT_LOGGING_STEPS = 10


def is_main_process():
    return int(os.environ.get("RANK", "0")) == 0


def emit(obj):
    if is_main_process():
        sys.stdout.write(json.dumps(obj, allow_nan=False) + "\n")
        sys.stdout.flush()


def message(text, level="info"):
    emit({"event": "message", "level": level, "message": text})


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if math.isfinite(value) else None


def metrics_record(logs, step, max_steps):
    """One metrics line from a log dict of the trainer; None for the end-of-training summary."""
    if "train_runtime" in logs:
        return None
    data = {"step": int(step), "max_steps": int(max_steps) if max_steps and max_steps > 0 else None}
    for key, value in logs.items():
        if key in ("step", "max_steps"):
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            data[key] = _number(value)
    return {"event": "metrics", "data": data}


def summary_message(logs):
    parts = []
    for key in ("train_loss", "train_runtime", "train_samples_per_second"):
        if isinstance(logs.get(key), (int, float)):
            parts.append("%s=%.4g" % (key, logs[key]))
    return "training finished" + (": " + ", ".join(parts) if parts else "")


def _auto(value):
    return None if value is None or value == "auto" else value


def dpo_config_kwargs(config, output_dir, bf16=False, evaluate=False):
    """Keyword arguments of trl.DPOConfig from the job's hyperparameters; `evaluate` when there is
    an eval dataset (transformers refuses an eval strategy without one)."""
    hp = config.get("hyperparameters") or {}
    learning_rate = hp.get("learning_rate")
    if learning_rate is None:
        learning_rate = TRL_DEFAULT_LEARNING_RATE * (_auto(hp.get("learning_rate_multiplier")) or 1.0)
    kwargs = {
        "output_dir": output_dir,
        "beta": float(hp.get("beta", 0.1)),
        "loss_type": "sigmoid",
        "learning_rate": float(learning_rate),
        "logging_steps": int(hp.get("logging_steps", DEFAULT_LOGGING_STEPS)),
        "report_to": "none",
        "save_strategy": "no",
        "bf16": bool(bf16),
    }
    optional = {
        "num_train_epochs": _auto(hp.get("n_epochs")),
        "per_device_train_batch_size": _auto(hp.get("batch_size")),
        "gradient_accumulation_steps": hp.get("gradient_accumulation_steps"),
        "max_length": hp.get("max_length"),
        "max_steps": hp.get("max_steps"),
        "seed": hp.get("seed"),
    }
    if evaluate:
        kwargs["eval_strategy"] = "steps"
        optional["eval_steps"] = hp.get("eval_steps")
        optional["per_device_eval_batch_size"] = optional["per_device_train_batch_size"]
    for key, value in optional.items():
        if value is not None:
            kwargs[key] = value
    return kwargs


def _int_if_whole(value):
    value = float(value)
    return int(value) if value.is_integer() else value


def lora_kwargs(peft):
    """Keyword arguments of peft.LoraConfig, or None for full fine-tuning."""
    if not peft:
        return None
    return {
        "r": int(peft.get("lora_r", 16)),
        # peft declares an int; a fractional alpha is passed as it is (the scaling still works).
        "lora_alpha": _int_if_whole(peft.get("lora_alpha", 32)),
        "lora_dropout": float(peft.get("lora_dropout", 0.05)),
        "target_modules": peft.get("lora_target_modules") or "all-linear",
        "task_type": "CAUSAL_LM",
    }


def quantization_kwargs(peft, bf16=True):
    """Keyword arguments of transformers.BitsAndBytesConfig for QLoRA (4-bit nf4), or None.
    The compute dtype is bfloat16 where the GPU has it, float16 on older GPUs."""
    if not peft or not peft.get("load_in_4bit"):
        return None
    return {
        "load_in_4bit": True,
        "bnb_4bit_quant_type": "nf4",
        "bnb_4bit_use_double_quant": True,
        "bnb_4bit_compute_dtype": "bfloat16" if bf16 else "float16",
    }


def version_tuple(text):
    """(major, minor) of a version string such as "4.57.1" or "5.0.0rc1"; (0, 0) if unreadable."""
    m = re.match(r"\s*(\d+)\.(\d+)", str(text))
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def dtype_keyword(transformers_version):
    """from_pretrained's dtype keyword: `dtype` since transformers 4.56, `torch_dtype` before
    (older releases reject `dtype`; newer ones warn on `torch_dtype`)."""
    return "dtype" if version_tuple(transformers_version) >= (4, 56) else "torch_dtype"


def tokenizer_keyword(trainer_class):
    """DPOTrainer's keyword for the tokenizer: `processing_class` since TRL 0.12, `tokenizer`
    before. Read from the signature: retrying on TypeError would hide real errors."""
    try:
        parameters = inspect.signature(trainer_class.__init__).parameters
    except (TypeError, ValueError):
        return "processing_class"
    if "processing_class" in parameters or "tokenizer" not in parameters:
        return "processing_class"
    return "tokenizer"


def make_metrics_callback():
    """A transformers.TrainerCallback that writes each log dict as one JSON line."""
    from transformers import TrainerCallback

    class JsonLinesCallback(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            if not state.is_world_process_zero or not logs:
                return
            record = metrics_record(logs, state.global_step, state.max_steps)
            if record is None:
                message(summary_message(logs))
            else:
                sys.stdout.write(json.dumps(record, allow_nan=False) + "\n")
                sys.stdout.flush()

    return JsonLinesCallback()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--output-dir", required=True)
    parser.add_argument("--eval-data")
    args = parser.parse_args(argv)
    with open(args.config, "r", encoding="utf-8") as f:
        config = json.load(f)

    import torch
    import transformers
    from datasets import load_dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig
    from trl import DPOConfig, DPOTrainer

    model_name = config["model"]
    peft = config.get("peft")
    bf16 = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    model_kwargs = {dtype_keyword(transformers.__version__): torch.bfloat16 if bf16 else "auto"}
    quant = quantization_kwargs(peft, bf16)
    if quant:
        quant["bnb_4bit_compute_dtype"] = getattr(torch, quant["bnb_4bit_compute_dtype"])
        model_kwargs["quantization_config"] = BitsAndBytesConfig(**quant)
        # Each process of a multi-GPU run keeps its quantised copy on its own device.
        model_kwargs["device_map"] = {"": int(os.environ.get("LOCAL_RANK", "0"))}
    message("loading %s" % model_name)
    model = AutoModelForCausalLM.from_pretrained(model_name, **model_kwargs)
    tokenizer = AutoTokenizer.from_pretrained(model_name)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token

    peft_config = None
    lora = lora_kwargs(peft)
    if lora:
        from peft import LoraConfig

        peft_config = LoraConfig(**lora)

    dataset = load_dataset("json", data_files=args.data, split="train")
    message("training %s on %d pairs" % (model_name, len(dataset)))
    eval_dataset = None
    if args.eval_data:
        eval_dataset = load_dataset("json", data_files=args.eval_data, split="train")
        message("evaluating on %d held-out pairs" % len(eval_dataset))
    training_args = DPOConfig(**dpo_config_kwargs(config, args.output_dir, bf16, evaluate=eval_dataset is not None))
    trainer = DPOTrainer(
        model=model,
        args=training_args,
        train_dataset=dataset,
        eval_dataset=eval_dataset,
        peft_config=peft_config,
        callbacks=[make_metrics_callback()],
        **{tokenizer_keyword(DPOTrainer): tokenizer},
    )
    trainer.train()
    # Evaluations happen on multiples of eval_steps; the final weights get one too.
    if eval_dataset is not None:
        every = int(training_args.eval_steps or training_args.logging_steps)
        if trainer.state.global_step % every != 0:
            trainer.evaluate()
    trainer.save_model(args.output_dir)
    message("model saved to %s" % args.output_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
