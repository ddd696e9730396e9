#!/usr/bin/env python3
"""GPU backend of the Dialogue Curator trainer: TRL's DPOTrainer, one or many GPUs.

The server starts it through `accelerate launch` (with an optional accelerate config file for
multi-GPU, DeepSpeed or FSDP), so distribution is accelerate's business, not ours:

    accelerate launch [--config_file F] trl_dpo.py --config config.json --data dataset.jsonl \
        --output-dir out/ [--eval-data validation.jsonl] [--eval-prompts prompts.jsonl]

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


def default_logging_steps(max_steps):
    """TRL logs every 10 steps; a short run (max_steps under 100) logs about ten times instead,
    so that a 4-step trial shows its losses at all."""
    if isinstance(max_steps, int) and 0 < max_steps < 10 * DEFAULT_LOGGING_STEPS:
        return max(1, max_steps // 10)
    return DEFAULT_LOGGING_STEPS


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


def _summary_number(value):
    """transformers 5 logs the end-of-training values as strings ('0.9145'), 4.x as numbers."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    return _number(value)


def summary_message(logs):
    parts = []
    for key in ("train_loss", "train_runtime", "train_samples_per_second"):
        value = _summary_number(logs.get(key))
        if value is not None:
            parts.append("%s=%.4g" % (key, value))
    return "training finished" + (": " + ", ".join(parts) if parts else "")


TRACKERS = {"tensorboard": ("tensorboard", "TENSORBOARD_LOGGING_DIR"), "trackio": ("trackio", "TRACKIO_DIR")}


def tracking_setup(report_to, tracking_dir):
    """Environment variables that put each requested tracker's files under tracking_dir, and the
    trackers whose package is missing (the job fails before loading a model). `report_to` is a
    name or a list of names; "none" or nothing means no tracking."""
    names = [report_to] if isinstance(report_to, str) else list(report_to or [])
    names = [n for n in names if n != "none"]
    env, missing = {}, []
    for name in names:
        if name not in TRACKERS:
            continue
        module, variable = TRACKERS[name]
        env[variable] = os.path.join(tracking_dir, name)
        try:
            __import__(module)
        except ImportError:
            missing.append(name)
    return env, missing


def prompt_text(tokenizer, prompt):
    """What the model is given for a prompt: a conversation through the tokenizer's chat template
    (with the assistant's turn opened), a string as it is."""
    if isinstance(prompt, list):
        if getattr(tokenizer, "chat_template", None):
            return tokenizer.apply_chat_template(prompt, tokenize=False, add_generation_prompt=True)
        return "".join("%s: %s\n" % (m.get("role", ""), m.get("content", "")) for m in prompt) + "assistant: "
    return prompt


def response_like(example_response, text, prompt=None):
    """A generated text in the shape of the dataset's responses (a string or an assistant turn);
    for a prompt without a response to copy (eval_prompts), in the shape of the prompt."""
    shape = example_response if example_response is not None else prompt
    if isinstance(shape, list):
        return [{"role": "assistant", "content": text}]
    return text


def evaluation_prompts(records, limit):
    """The held-out prompts to answer, each once, in file order, at most `limit`."""
    seen, out = set(), []
    for record in records:
        key = json.dumps(record.get("prompt"), sort_keys=True)
        if key in seen or record.get("prompt") is None:
            continue
        seen.add(key)
        out.append(record)
        if len(out) >= limit:
            break
    return out


def generate(model, tokenizer, text, max_new_tokens):
    import torch

    inputs = tokenizer(text, return_tensors="pt", add_special_tokens=False)
    inputs = {k: v.to(model.device) for k, v in inputs.items()}
    with torch.no_grad():
        output = model.generate(
            **inputs,
            do_sample=False,
            max_new_tokens=max_new_tokens,
            pad_token_id=tokenizer.pad_token_id,
        )
    return tokenizer.decode(output[0][inputs["input_ids"].shape[1]:], skip_special_tokens=True)


def write_evaluation(path, records, tuned_model, base_answer, tokenizer, max_new_tokens):
    """One TRL preference record per held-out prompt: `chosen` is the tuned model's greedy
    answer, `rejected` the base model's (so every tool that reads preference pairs can compare
    them)."""
    tuned_model.eval()
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for record in records:
            text = prompt_text(tokenizer, record["prompt"])
            tuned = generate(tuned_model, tokenizer, text, max_new_tokens)
            base = base_answer(text)
            example = record.get("chosen")
            prompt = record["prompt"]
            f.write(json.dumps({"prompt": prompt, "chosen": response_like(example, tuned, prompt), "rejected": response_like(example, base, prompt)}) + "\n")
    os.replace(tmp, path)
    return len(records)


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
        "logging_steps": int(hp.get("logging_steps", default_logging_steps(hp.get("max_steps")))),
        "report_to": "none",
        "save_strategy": "no",
        "bf16": bool(bf16),
    }
    optional = {
        "loss_type": hp.get("loss_type"),
        "loss_weights": hp.get("loss_weights"),
        "label_smoothing": hp.get("label_smoothing"),
        "warmup_steps": hp.get("warmup_steps"),
        "warmup_ratio": hp.get("warmup_ratio"),
        "lr_scheduler_type": hp.get("lr_scheduler_type"),
        "gradient_checkpointing": hp.get("gradient_checkpointing"),
        "precompute_ref_log_probs": hp.get("precompute_ref_log_probs"),
        "report_to": hp.get("report_to"),
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


def config_parameters(config_class):
    """The keyword names config_class accepts, or None when it takes any (**kwargs)."""
    try:
        parameters = inspect.signature(config_class.__init__).parameters
    except (TypeError, ValueError):
        return None
    if any(p.kind == inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return None
    return set(parameters) - {"self"}


def fit_to_release(kwargs, accepted):
    """The DPOConfig arguments the installed release takes, and a note for each one it lacks.
    transformers 5 dropped `warmup_ratio`: its `warmup_steps` takes a fraction below 1 instead."""
    if accepted is None:
        return dict(kwargs), []
    kwargs = dict(kwargs)
    notes = []
    if "warmup_ratio" in kwargs and "warmup_ratio" not in accepted and "warmup_steps" in accepted:
        ratio = kwargs.pop("warmup_ratio")
        if "warmup_steps" in kwargs:
            notes.append("warmup_ratio=%s ignored: warmup_steps is set too" % ratio)
        else:
            kwargs["warmup_steps"] = float(ratio)
    for key in sorted(set(kwargs) - accepted):
        notes.append("%s=%s is not an option of this TRL release; it was not used" % (key, json.dumps(kwargs.pop(key))))
    return kwargs, notes


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
        # The step of the last evaluation (every process sees it, so all decide alike on another).
        last_eval_step = None

        def on_evaluate(self, args, state, control, metrics=None, **kwargs):
            self.last_eval_step = state.global_step

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
    parser.add_argument("--eval-prompts", help='JSONL of {"prompt": ...}: more prompts for the base-vs-tuned answers')
    parser.add_argument("--evaluation-out", help="with --eval-data or --eval-prompts: where base-vs-tuned answers go")
    parser.add_argument("--tracking-dir", help="where TensorBoard / trackio files go (report_to)")
    args = parser.parse_args(argv)
    with open(args.config, "r", encoding="utf-8") as f:
        config = json.load(f)
    hp = config.get("hyperparameters") or {}
    tracking_env, missing = tracking_setup(hp.get("report_to"), args.tracking_dir or os.path.join(args.output_dir, "runs"))
    if missing:
        message(
            "report_to asks for %s, which is not installed in the trainer's environment: pip install %s"
            % (", ".join(missing), " ".join(missing)),
            "error",
        )
        return 2
    os.environ.update(tracking_env)

    import torch
    import transformers
    from datasets import load_dataset

    # Several processes on a machine without a GPU (the multi-GPU launcher's torchrun workers, as
    # trainer/accelerate/multi-cpu.yaml starts them): train on the CPU over gloo. accelerate's own
    # MULTI_CPU launcher would start one process unless MPI is set up. Set before DPOConfig, whose
    # distributed state reads it.
    if int(os.environ.get("WORLD_SIZE", "1")) > 1 and not torch.cuda.is_available():
        os.environ.setdefault("ACCELERATE_USE_CPU", "true")
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
    config_kwargs, notes = fit_to_release(
        dpo_config_kwargs(config, args.output_dir, bf16, evaluate=eval_dataset is not None), config_parameters(DPOConfig)
    )
    for note in notes:
        message(note, "warn")
    training_args = DPOConfig(**config_kwargs)
    metrics_callback = make_metrics_callback()
    trainer = DPOTrainer(
        model=model,
        args=training_args,
        train_dataset=dataset,
        eval_dataset=eval_dataset,
        peft_config=peft_config,
        callbacks=[metrics_callback],
        **{tokenizer_keyword(DPOTrainer): tokenizer},
    )
    accelerator = getattr(trainer, "accelerator", None)
    if accelerator is not None and is_main_process():
        message(
            "training in %d process%s (%s)"
            % (accelerator.num_processes, "" if accelerator.num_processes == 1 else "es", str(accelerator.distributed_type).split(".")[-1])
        )
    trainer.train()
    # Evaluations happen on multiples of eval_steps; the final weights get one too, unless the
    # trainer already evaluated them (some releases evaluate at the last step whatever eval_steps).
    if eval_dataset is not None and metrics_callback.last_eval_step != trainer.state.global_step:
        trainer.evaluate()
    trainer.save_model(args.output_dir)
    message("model saved to %s" % args.output_dir)
    given = read_jsonl(args.eval_prompts) if args.eval_prompts else []
    if (eval_dataset is not None or given) and args.evaluation_out and is_main_process():
        # The prompts the job names first, then the held-out set's.
        records = given + (list(eval_dataset) if eval_dataset is not None else [])
        evaluate_generations(trainer, tokenizer, records, hp, args.evaluation_out, lambda: AutoModelForCausalLM.from_pretrained(model_name, **model_kwargs))
    return 0


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def evaluate_generations(trainer, tokenizer, prompt_records, hp, out_path, load_base):
    """Greedy answers of the base and the tuned model to each prompt (the job's eval_prompts and
    the held-out set's). A failure here is a warning: the trained model is saved and stays the
    job's result."""
    try:
        records = evaluation_prompts(prompt_records, int(hp.get("eval_generations", 100)))
        max_new_tokens = int(hp.get("max_new_tokens", 64))
        message("answering %d prompts with the base and the tuned model (greedy, up to %d new tokens)" % (len(records), max_new_tokens))
        tuned = trainer.accelerator.unwrap_model(trainer.model)
        if hasattr(tuned, "disable_adapter"):
            def base_answer(text):
                with tuned.disable_adapter():
                    return generate(tuned, tokenizer, text, max_new_tokens)
        else:
            base = load_base().to(tuned.device)
            base.eval()

            def base_answer(text):
                return generate(base, tokenizer, text, max_new_tokens)
        count = write_evaluation(out_path, records, tuned, base_answer, tokenizer, max_new_tokens)
        message("evaluation written: %d prompts, base and tuned answers" % count)
    except Exception as err:  # noqa: BLE001 - reported, the job's model stays
        message("the base-vs-tuned evaluation failed (%s: %s); the trained model is saved" % (type(err).__name__, err), "warn")


if __name__ == "__main__":
    sys.exit(main())
