"""The `aigov` command: batch classification and role finding for an inventory of AI systems.

    aigov classify [--date YYYY-MM-DD] [--law ID] [--lang nl|fr|en] [--jsonl] [FILE|-]
    aigov role [--lang nl|fr|en] [--jsonl] [FILE|-]

Reads one JSON object (one system) or an array (many) and writes the result(s) as JSON to stdout.
Bad input exits with code 2 and a one-line message on stderr naming the key (and, for an array, the
index); nothing is written to stdout then, because every result is computed before any is printed.
With --jsonl, one JSON object a line in and one a line out, in bounded memory: a bad line becomes
{"index": n, "error": "…"} in the output, the run goes on, and the exit status is 2 at the end.
A failure to write the output exits 1; a broken data file exits 3. Never a traceback.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys

from aigov_widgets.core import jsonio
from aigov_widgets.core.law import data, engine, references

EXIT_OUTPUT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_BROKEN_DATA = 3
MAX_DOCUMENT_CHARS = 20_000_000     # one JSON document (object or array); larger inventories: --jsonl
MAX_LINE_CHARS = jsonio.MAX_CHARS   # one line of --jsonl input


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:   # argparse exits 2 too; keep stdout empty
        self.print_usage(sys.stderr)
        raise _BadInput(f"{self.prog}: {message}")


class _BadInput(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="aigov", description="AI Act classification and role finder (Reg. (EU) 2024/1689 as amended).")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    classify = commands.add_parser("classify", help="classify AI systems: tier, basis, transparency, obligations")
    classify.add_argument("--date", default=None, help="date to evaluate on (YYYY-MM-DD, default: today)")
    classify.add_argument("--law", default=None,
                          help="law version of laws.toml to apply (default: the text in force on --date)")
    classify.add_argument("--lang", default="en", choices=["nl", "fr", "en"])
    classify.add_argument("--jsonl", action="store_true", help="JSON Lines in and out (one system a line), streamed")
    classify.add_argument("file", nargs="?", default="-", help="JSON file, or - for standard input")
    role = commands.add_parser("role", help="find the roles of an organisation towards AI systems")
    role.add_argument("--lang", default="en", choices=["nl", "fr", "en"])
    role.add_argument("--jsonl", action="store_true", help="JSON Lines in and out (one record a line), streamed")
    role.add_argument("file", nargs="?", default="-", help="JSON file, or - for standard input")
    _add_quiz_parser(commands)
    _add_register_parser(commands)
    return parser


class _OneLineParser(_Parser):
    def error(self, message: str) -> None:   # the quiz commands: one line on stderr, no usage
        raise _BadInput(f"aigov: error: {self.prog.removeprefix('aigov ')}: {message}")


def _add_quiz_parser(commands) -> None:
    """aigov quiz export --lang nl|fr|en --format json|gift|moodle-xml|qti|md [--track ID] [-o FILE]"""
    from aigov_widgets.core import quiz_export

    quiz = commands.add_parser("quiz", help="the AI-literacy quiz banks")
    quiz.__class__ = _OneLineParser   # add_parser has no class argument; the subclass only changes error()
    actions = quiz.add_subparsers(dest="quiz_command", metavar="export", required=True,
                                  parser_class=_OneLineParser)
    export = actions.add_parser("export", help="export the quiz banks for a learning platform (Moodle, QTI)")
    export.add_argument("--lang", required=True, choices=["nl", "fr", "en"])
    export.add_argument("--format", required=True, choices=list(quiz_export.FORMATS))
    export.add_argument("--track", default=None, help="only the questions of this audience (audiences.toml)")
    export.add_argument("-o", "--output", default=None, help="output file (required for qti; default: stdout)")


def _quiz_export(args) -> int:
    """Write one export; bad arguments raise _BadInput (exit 2), a broken bank DataError (exit 3)."""
    from aigov_widgets.core import quiz_bank, quiz_export

    if args.format in quiz_export.BINARY_FORMATS and args.output in (None, "-"):
        raise _BadInput(f"--format {args.format} writes a zip file: give it with -o FILE")
    try:
        bank = quiz_bank.load(args.lang, args.track)
    except ValueError as error:
        raise _BadInput(f"--track: {error}") from None
    output = quiz_export.export(bank, args.format)
    if args.output in (None, "-"):
        _write(output)   # a failing standard output is exit 1, as for the other commands
        return 0
    try:
        with open(args.output, "wb") as handle:
            handle.write(output if isinstance(output, bytes) else output.encode("utf-8"))
    except OSError as error:
        raise _BadInput(f"cannot write {args.output}: {error.strerror}") from None
    return 0


def _add_register_parser(commands) -> None:
    """aigov register validate FILE; aigov register export --format F [--lang L] [--date D] FILE"""
    from aigov_widgets.core import register_export

    reg = commands.add_parser("register", help="the register of AI systems: validate, export")
    actions = reg.add_subparsers(dest="register_command", metavar="validate|export", required=True,
                                 parser_class=_Parser)
    check = actions.add_parser("validate", help="check a register file (exit 0, or 2 naming system and field)")
    check.add_argument("file", help="register file (JSON), or - for standard input")
    export = actions.add_parser("export", help="export a register: json, csv, eu-db, algoritmeregister, eurocities")
    export.add_argument("--format", required=True, choices=list(register_export.FORMATS))
    export.add_argument("--lang", default="en", choices=["nl", "fr", "en"])
    export.add_argument("--date", default=None, help="the day that fixes what is due (YYYY-MM-DD, default: today)")
    export.add_argument("file", help="register file (JSON), or - for standard input")


def _register(args) -> int:
    """Validate or export a register file; every problem goes to stderr (exit 2), nothing to stdout."""
    from aigov_widgets.core import register, register_export

    on_date = datetime.date.today().isoformat() if getattr(args, "date", None) is None else args.date
    try:
        engine.check_date(on_date, "--date")
    except engine.InputError as error:
        raise _BadInput(str(error)) from None
    name = "<stdin>" if args.file == "-" else args.file
    limit = register.MAX_CHARS * 4 + 1          # UTF-8: at most 4 bytes a character
    stream = _binary_input(args.file)
    try:
        raw = stream.read(limit)
    except (OSError, ValueError) as error:
        raise _BadInput(f"cannot read {name}: {getattr(error, 'strerror', None) or error}") from None
    finally:
        if args.file != "-":
            stream.close()
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) >= limit:
        raise _BadInput(f"{name}: (file): more than {limit - 1} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _BadInput(f"{name}: (file): not UTF-8 text (byte {error.start})") from None
    try:
        document = register.loads(text)
    except register.RegisterError as error:
        raise _BadInput("\n".join(f"aigov: error: {name}: {register.problem_text(p)}"
                                   for p in error.problems[:50])) from None
    if args.register_command == "validate":
        count = len(document["systems"])
        sys.stdout.write(f"{name}: valid register, {count} system{'' if count == 1 else 's'}\n")
        return 0
    output = register_export.export(document, args.format, on_date=on_date, lang=args.lang)
    if args.format == "csv":      # the BOM and CRLF line ends go out as they are
        sys.stdout.flush()
        sys.stdout.buffer.write(output.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(output)
    return 0


def _binary_input(path: str):
    """The input as a binary stream (standard input or a file); _BadInput when it cannot be opened."""
    if path == "-":
        if sys.stdin is None:
            raise _BadInput("standard input is closed")
        return getattr(sys.stdin, "buffer", sys.stdin)      # a text stream in tests: read as it is
    try:
        return open(path, "rb")
    except OSError as error:
        raise _BadInput(f"cannot read {path}: {error.strerror}") from None


def _text(raw: bytes | str, where: str) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _BadInput(f"{where}not UTF-8 text (byte {error.start})") from None


def _read(path: str) -> object:
    """One JSON document, read strictly (jsonio: duplicate keys, depth, number length, size)."""
    stream = _binary_input(path)
    try:
        raw = stream.read(MAX_DOCUMENT_CHARS * 4 + 1)
    except (OSError, ValueError) as error:
        raise _BadInput(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None
    finally:
        if path != "-":
            stream.close()
    text = _text(raw, "")
    try:
        return jsonio.loads(text, max_chars=MAX_DOCUMENT_CHARS)
    except jsonio.JSONError as error:
        hint = " (use --jsonl for large inventories)" if error.reason == "too_large" else ""
        raise _BadInput(f"{error}{hint}") from None


def _classify_one(record: object, on_date: str, lang: str, law: str | None = None) -> dict:
    answers, context = engine.split_record(record)
    return engine.classify(answers, on_date=on_date, lang=lang, law=law, **context)


def _role_one(record: object, lang: str) -> dict:
    result = engine.find_roles(record)
    result["labels"] = {role: references.role_label(role, lang) for role in result["roles"]}
    return result


def _each(data: object, compute) -> object:
    """Object in -> object out; array in -> array out. The index is named in the error."""
    if isinstance(data, list):
        results = []
        for index, record in enumerate(data):
            try:
                results.append(compute(record))
            except engine.InputError as error:
                raise _BadInput(f"[{index}] {error}") from None
        return results
    try:
        return compute(data)
    except engine.InputError as error:
        raise _BadInput(str(error)) from None


def _lines(stream):
    """(index, raw line or None if longer than the limit) per line of a binary stream, bounded."""
    limit = MAX_LINE_CHARS * 4
    index = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        if len(raw) > limit and not raw.endswith(b"\n" if isinstance(raw, bytes) else "\n"):
            while raw and not raw.endswith(b"\n" if isinstance(raw, bytes) else "\n"):
                raw = stream.readline(limit + 1)          # skip the rest of an overlong line
            yield index, None
        else:
            yield index, raw
        index += 1


def _jsonl(path: str, compute, out) -> int:
    """JSON Lines in, JSON Lines out, one line at a time: a bad line becomes {"index", "error"} and the
    run goes on; 2 at the end if any line was bad. Blank lines are skipped (they keep their index)."""
    stream = _binary_input(path)
    status = 0
    try:
        for index, raw in _lines(stream):
            if raw is not None and not raw.strip():
                continue
            try:
                if raw is None:
                    raise _BadInput(f"a line of more than {MAX_LINE_CHARS} characters")
                record = jsonio.loads(_text(raw, ""), max_chars=MAX_LINE_CHARS)
                result = compute(record)
            except (_BadInput, jsonio.JSONError, engine.InputError) as error:
                status = EXIT_BAD_INPUT
                result = {"index": index, "error": str(error)}
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    except OSError as error:          # writes fail as _OutputFailed; an OSError here is a read error
        raise _BadInput(f"cannot read {path}: {error.strerror}") from None
    finally:
        if path != "-":
            stream.close()
    return status


class _OutputFailed(Exception):
    pass


def _write(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except (OSError, ValueError) as error:
        raise _OutputFailed(getattr(error, "strerror", None) or str(error)) from None


class _Out:
    """stdout for --jsonl: every write flushed line by line; a failure becomes _OutputFailed."""
    def write(self, text: str) -> None:
        _write(text)


def _silence_stdout() -> None:
    """After an output failure: point stdout at the null device so that Python's own flush at exit
    cannot print a second error (or a traceback)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _check_when(args) -> tuple[str, str | None]:
    """(evaluation date, law version) of `classify`; --date before the AI Act or an unknown --law is bad input."""
    on_date = datetime.date.today().isoformat() if args.date is None else args.date
    try:
        engine.check_date(on_date, "--date")
        return on_date, engine.choose_law(on_date, args.law)
    except engine.InputError as error:
        option = "--law" if error.key == "law" else "--date"
        raise _BadInput(f"{option}: {str(error).split(': ', 1)[-1]}") from None


def main(argv: list[str] | None = None) -> int:
    try:
        try:
            args = _parser().parse_args(argv)
            if args.command == "quiz":
                return _quiz_export(args)
            if args.command == "register":
                return _register(args)
            if args.command == "classify":
                on_date, law = _check_when(args)
                compute = lambda record: _classify_one(record, on_date, args.lang, law)   # noqa: E731
            else:
                compute = lambda record: _role_one(record, args.lang)   # noqa: E731
            if args.jsonl:
                return _jsonl(args.file, compute, _Out())
            output = _each(_read(args.file), compute)
        except _BadInput as error:
            message = " ".join(str(error).split("\n")[0].split()) if "\naigov:" not in str(error) else str(error)
            print(message if message.startswith("aigov:") else f"aigov: error: {message}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except data.DataError as error:
            print(f"aigov: broken data file: {error}", file=sys.stderr)
            return EXIT_BROKEN_DATA
        _write(json.dumps(output, ensure_ascii=False, indent=2) + "\n")
        return 0
    except _OutputFailed as error:
        _silence_stdout()
        print(f"aigov: error: cannot write the output: {error}", file=sys.stderr)
        return EXIT_OUTPUT_FAILED
    except KeyboardInterrupt:
        print("aigov: interrupted", file=sys.stderr)
        return 130
    except (RecursionError, MemoryError) as error:
        print(f"aigov: error: input too large or too deep ({type(error).__name__})", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # noqa: BLE001 - never a traceback: one line, exit 1
        print(f"aigov: internal error: {type(error).__name__}: {str(error)[:200]}", file=sys.stderr)
        return EXIT_OUTPUT_FAILED


if __name__ == "__main__":
    sys.exit(main())
