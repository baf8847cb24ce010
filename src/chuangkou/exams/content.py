"""The content of each question kind: checking a config (stem, options, key), checking the shape
of an answer before it is saved, the candidate's view (never the key), and the plain-text forms
the edit page and the Excel import share.

Config shapes (QuestionVersion.config):
- single / multiple: {"options": [{"key": "A", "text": …}], "answer": ["A", …]}
- fill: {"template": "…{{1}}…{{2}}…", "blanks": [["答案", "另一种写法"], …]}
- correction: {"passage": …, "marked": bool, "errors": [{"wrong": …, "right": [...]}],
  "found_credit": "0.5"}
- open: {"rubric": …, "reference": …, "max_chars": 3000}
- scenario: {"matter_name": …, "options": [...], "answer": [...], "penalty": "0.5"}
"""

import re
import string
from decimal import Decimal, InvalidOperation

from chuangkou.core.errors import DomainError

from .models import QuestionKind
from .scoring import DEFAULT_FOUND_CREDIT, DEFAULT_SCENARIO_PENALTY

BLANK = re.compile(r"\{\{(\d+)\}\}")
MAX_OPTIONS = 12
MAX_TEXT = 200
DEFAULT_MAX_CHARS = 3000
OPTION_KEYS = string.ascii_uppercase[:MAX_OPTIONS]
CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCENARIO}


def _text(value: object, label: str, *, field: str, required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise DomainError(f"请填写{label}。", field=field)
    return text


def _ratio(value: object, default: Decimal, label: str) -> str:
    try:
        ratio = Decimal(str(value if value not in (None, "") else default))
    except InvalidOperation:
        raise DomainError(f"{label}应为 0 到 1 之间的数。", field="config") from None
    if not Decimal(0) <= ratio <= 1:
        raise DomainError(f"{label}应为 0 到 1 之间的数。", field="config")
    return str(ratio)


def _options(config: dict, kind: str) -> tuple[list[dict], list[str]]:
    options = config.get("options")
    if not isinstance(options, list) or not 2 <= len(options) <= MAX_OPTIONS:
        raise DomainError(f"选项应有 2 到 {MAX_OPTIONS} 个。", field="options")
    clean, keys = [], []
    for i, option in enumerate(options):
        text = _text(
            option.get("text") if isinstance(option, dict) else None, "选项内容", field="options"
        )
        key = option.get("key") or OPTION_KEYS[i]
        if not isinstance(key, str) or key in keys:
            raise DomainError("选项编号重复或无效。", field="options")
        keys.append(key)
        clean.append({"key": key, "text": text})
    answer = config.get("answer")
    if isinstance(answer, str):
        answer = [answer]
    if not isinstance(answer, list) or not answer or not all(a in keys for a in answer):
        raise DomainError("答案须是选项中的编号。", field="answer")
    if len(set(answer)) != len(answer):
        raise DomainError("答案中有重复的选项。", field="answer")
    if kind == QuestionKind.SINGLE and len(answer) != 1:
        raise DomainError("单选题只能有一个正确选项。", field="answer")
    return clean, sorted(answer, key=keys.index)


def clean_config(kind: str, config: object) -> dict:
    """The config of a question of `kind`, checked and normalised; DomainError names the field."""
    if kind not in QuestionKind.values:
        raise DomainError("题型无效。", field="kind")
    if not isinstance(config, dict):
        raise DomainError("试题内容格式不正确。", field="config")
    if kind in CHOICE_KINDS:
        options, answer = _options(config, kind)
        clean = {"options": options, "answer": answer}
        if kind == QuestionKind.SCENARIO:
            clean["matter_name"] = _text(
                config.get("matter_name"), "事项", field="matter", required=False
            )
            clean["penalty"] = _ratio(
                config.get("penalty"), DEFAULT_SCENARIO_PENALTY, "错选扣分比例"
            )
        return clean
    if kind == QuestionKind.FILL:
        template = _text(config.get("template"), "材料模版", field="template")
        numbers = [int(n) for n in BLANK.findall(template)]
        if not numbers or numbers != list(range(1, len(numbers) + 1)):
            raise DomainError("模版中的空须依次标为 {{1}}、{{2}}……", field="template")
        blanks = config.get("blanks")
        if not isinstance(blanks, list) or len(blanks) != len(numbers):
            raise DomainError(f"模版有 {len(numbers)} 个空，请为每个空填写答案。", field="answer")
        clean_blanks = []
        for i, accepted in enumerate(blanks, start=1):
            values = (
                [a.strip() for a in accepted if isinstance(a, str) and a.strip()]
                if (isinstance(accepted, list))
                else []
            )
            if not values:
                raise DomainError(f"第 {i} 个空没有答案。", field="answer")
            clean_blanks.append(values)
        return {"template": template, "blanks": clean_blanks}
    if kind == QuestionKind.CORRECTION:
        passage = _text(config.get("passage"), "短文", field="template")
        errors = config.get("errors")
        if not isinstance(errors, list) or not errors:
            raise DomainError("请至少列出一处错误及其改正。", field="answer")
        clean_errors = []
        for i, error in enumerate(errors, start=1):
            wrong = _text(
                error.get("wrong") if isinstance(error, dict) else None,
                f"第 {i} 处错误的原文",
                field="answer",
            )
            rights = error.get("right") if isinstance(error, dict) else None
            rights = (
                [r.strip() for r in rights if isinstance(r, str) and r.strip()]
                if (isinstance(rights, list))
                else []
            )
            if not rights:
                raise DomainError(f"第 {i} 处错误没有改正答案。", field="answer")
            if wrong not in passage:
                raise DomainError(f"第 {i} 处错误「{wrong}」不在短文中。", field="answer")
            clean_errors.append({"wrong": wrong, "right": rights})
        return {
            "passage": passage,
            "marked": bool(config.get("marked")),
            "errors": clean_errors,
            "found_credit": _ratio(
                config.get("found_credit"), DEFAULT_FOUND_CREDIT, "找到未改对的得分比例"
            ),
        }
    rubric = _text(config.get("rubric"), "评分要点", field="rubric")
    max_chars = config.get("max_chars") or DEFAULT_MAX_CHARS
    if not isinstance(max_chars, int) or not 50 <= max_chars <= 20000:
        raise DomainError("字数上限应在 50 到 20000 之间。", field="config")
    reference = _text(config.get("reference"), "参考答案", field="answer", required=False)
    return {"rubric": rubric, "reference": reference, "max_chars": max_chars}


# -- answers ----------------------------------------------------------------------------------


def _option_keys(config: dict) -> set[str]:
    return {o["key"] for o in config.get("options", [])}


def clean_answer(kind: str, config: dict, answer: object) -> object:
    """The answer as it will be saved, or DomainError when its shape does not fit the question.
    None (or an empty answer) clears it."""
    if answer in (None, "", []):
        return None
    if kind == QuestionKind.SINGLE:
        if not isinstance(answer, str) or answer not in _option_keys(config):
            raise DomainError("请选择一个有效的选项。", field="response")
        return answer
    if kind in (QuestionKind.MULTIPLE, QuestionKind.SCENARIO):
        keys = _option_keys(config)
        if not isinstance(answer, list) or not all(
            isinstance(a, str) and a in keys for a in answer
        ):
            raise DomainError("所选选项无效。", field="response")
        return sorted(set(answer))
    if kind == QuestionKind.OPEN:
        limit = config.get("max_chars", DEFAULT_MAX_CHARS)
        if not isinstance(answer, str):
            raise DomainError("作答应为文字。", field="response")
        if len(answer) > limit:
            raise DomainError(f"作答不能超过 {limit} 字。", field="response")
        return answer
    if kind == QuestionKind.FILL or (kind == QuestionKind.CORRECTION and config.get("marked")):
        size = len(config.get("blanks") or config.get("errors") or [])
        if not isinstance(answer, list) or len(answer) > size:
            raise DomainError(f"应填写不超过 {size} 项。", field="response")
        if not all(isinstance(a, str) and len(a) <= MAX_TEXT for a in answer):
            raise DomainError(f"每一项应为不超过 {MAX_TEXT} 字的文字。", field="response")
        return answer
    limit = 2 * len(config.get("errors", [])) + 2
    if not isinstance(answer, list) or len(answer) > limit:
        raise DomainError(f"最多列出 {limit} 处改正。", field="response")
    pairs = []
    for pair in answer:
        if not isinstance(pair, dict):
            raise DomainError("每处改正应包含原文和改正。", field="response")
        wrong, right = pair.get("wrong", ""), pair.get("right", "")
        if not isinstance(wrong, str) or not isinstance(right, str):
            raise DomainError("每处改正应包含原文和改正。", field="response")
        if len(wrong) > MAX_TEXT or len(right) > MAX_TEXT:
            raise DomainError(f"原文和改正均不能超过 {MAX_TEXT} 字。", field="response")
        if wrong.strip() or right.strip():
            pairs.append({"wrong": wrong, "right": right})
    return pairs or None


# -- what a candidate sees --------------------------------------------------------------------


def template_parts(template: str) -> list[dict]:
    """The template split into text and blanks: [{"text": …}, {"blank": 1}, …]."""
    parts: list[dict] = []
    last = 0
    for match in BLANK.finditer(template):
        if match.start() > last:
            parts.append({"text": template[last : match.start()]})
        parts.append({"blank": int(match.group(1))})
        last = match.end()
    if last < len(template):
        parts.append({"text": template[last:]})
    return parts


def public_view(kind: str, config: dict, option_order: list[str] | None = None) -> dict:
    """What the candidate may see of a question: never the key, the rubric or the reference."""
    if kind in CHOICE_KINDS:
        by_key = {o["key"]: o for o in config.get("options", [])}
        order = [k for k in (option_order or []) if k in by_key] or list(by_key)
        view = {"options": [by_key[k] for k in order]}
        if kind == QuestionKind.SCENARIO:
            view["matter_name"] = config.get("matter_name", "")
        return view
    if kind == QuestionKind.FILL:
        return {
            "parts": template_parts(config.get("template", "")),
            "blank_count": len(config.get("blanks", [])),
        }
    if kind == QuestionKind.CORRECTION:
        return {
            "passage": config.get("passage", ""),
            "marked": bool(config.get("marked")),
            "error_count": len(config.get("errors", [])),
        }
    return {"max_chars": config.get("max_chars", DEFAULT_MAX_CHARS)}


def key_text(kind: str, config: dict) -> str:
    """The key in words, for results after publication, exports and the bank."""
    if kind in CHOICE_KINDS:
        return "".join(config.get("answer", []))
    if kind == QuestionKind.FILL:
        return "\n".join("|".join(b) for b in config.get("blanks", []))
    if kind == QuestionKind.CORRECTION:
        return "\n".join(
            f"{e['wrong']} => {'|'.join(e['right'])}" for e in config.get("errors", [])
        )
    return config.get("reference", "")


def answer_text(kind: str, response: object) -> str:
    """A saved answer in words (exports and result pages)."""
    if response is None:
        return ""
    if isinstance(response, str):
        return response
    if kind == QuestionKind.CORRECTION and response and isinstance(response[0], dict):
        return "；".join(f"{p.get('wrong', '')} => {p.get('right', '')}" for p in response)
    return (
        "、".join(str(r) for r in response)
        if kind != QuestionKind.FILL
        else " | ".join(str(r) for r in response)
    )


# -- the plain-text forms (edit page and Excel) ------------------------------------------------

_OPTION_LINE = re.compile(r"^\s*([A-La-l])\s*[.．、:：)）]\s*(.+)$")
_ALTERNATIVES = re.compile(r"\s*[|｜]\s*")


def parse_options(text: str) -> list[dict]:
    """One option per line, "A. 内容" or just "内容" (lettered in order)."""
    options = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = _OPTION_LINE.match(line)
        content = match.group(2).strip() if match else line.strip()
        options.append(
            {
                "key": OPTION_KEYS[len(options)] if len(options) < MAX_OPTIONS else "?",
                "text": content,
            }
        )
    return options


def parse_letters(text: str) -> list[str]:
    """ "AC", "A,C" or "A、C" → ["A", "C"]."""
    return [c for c in (text or "").upper() if c in OPTION_KEYS]


def parse_blanks(text: str) -> list[list[str]]:
    """One blank per line; alternatives separated by | (or ｜)."""
    return [
        [a for a in _ALTERNATIVES.split(line.strip()) if a]
        for line in (text or "").splitlines()
        if line.strip()
    ]


def parse_errors(text: str) -> list[dict]:
    """One error per line: "错误原文 => 改正|另一种改正"."""
    errors = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        wrong, sep, right = line.partition("=>")
        if not sep:
            raise DomainError(f"「{line.strip()}」应写成「错误原文 => 改正」。", field="answer")
        errors.append(
            {"wrong": wrong.strip(), "right": [a for a in _ALTERNATIVES.split(right.strip()) if a]}
        )
    return errors


def config_from_text(
    kind: str,
    *,
    options: str = "",
    answer: str = "",
    template: str = "",
    rubric: str = "",
    marked: bool = False,
    matter_name: str = "",
) -> dict:
    """Build (and check) a config from the text fields of the edit form or an Excel row."""
    if kind in CHOICE_KINDS:
        raw = {"options": parse_options(options), "answer": parse_letters(answer)}
        if kind == QuestionKind.SCENARIO:
            raw["matter_name"] = matter_name
        return clean_config(kind, raw)
    if kind == QuestionKind.FILL:
        return clean_config(kind, {"template": template, "blanks": parse_blanks(answer)})
    if kind == QuestionKind.CORRECTION:
        raw = {"passage": template, "marked": marked, "errors": parse_errors(answer)}
        return clean_config(kind, raw)
    return clean_config(kind, {"rubric": rubric, "reference": answer})


def config_to_text(kind: str, config: dict) -> dict:
    """The inverse of config_from_text, for prefilling the form and exporting."""
    data = {
        "options": "",
        "answer": key_text(kind, config),
        "template": "",
        "rubric": "",
        "marked": False,
        "matter_name": config.get("matter_name", ""),
    }
    if kind in CHOICE_KINDS:
        data["options"] = "\n".join(f"{o['key']}. {o['text']}" for o in config.get("options", []))
    elif kind == QuestionKind.FILL:
        data["template"] = config.get("template", "")
    elif kind == QuestionKind.CORRECTION:
        data["template"] = config.get("passage", "")
        data["marked"] = bool(config.get("marked"))
    else:
        data["rubric"] = config.get("rubric", "")
    return data
