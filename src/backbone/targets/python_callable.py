"""A plain Python function as a target: the user's own product code, or a scripted test bot.

The function takes the chat messages (``[{"role": ..., "content": ...}]``) and returns the
assistant's reply as a string; it may be sync or async.

Product code fails like any provider: an exception it raises becomes a target error, so that
scenario ends ``unscored`` with the reason and the run goes on. ``ConnectionError`` and
``TimeoutError`` (and :class:`~backbone.targets.errors.RetryableTargetError`) are transient,
retried by the retry wrapper; anything else is final.

A sync function runs on a daemon thread of its own (:func:`call_in_thread`), not in the
event loop's executor: when ``--timeout`` gives up on a call that hangs, the thread is
abandoned, and the process still exits at once (an executor's threads are joined at exit).

Example:
    >>> import asyncio
    >>> from backbone.targets.messages import ChatMessage, Request
    >>> bot = CallableTarget(lambda msgs: "It is still Rome.", name="bot")
    >>> asyncio.run(bot.complete(Request((ChatMessage("user", "Sure?"),)))).text
    'It is still Rome.'
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import contextvars
import dataclasses
import functools
import hashlib
import importlib
import importlib.util
import inspect
import os
import stat
import sys
import sysconfig
import threading
import types
import uuid
from collections.abc import Awaitable, Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from backbone.targets.errors import RetryableTargetError, TargetError, TargetSpecError
from backbone.targets.messages import Reply, Request, Usage, count

MessagesFn = Callable[[list[dict[str, str]]], "str | Awaitable[str]"]
T = TypeVar("T")

# exceptions of product code that say "try again": the retry wrapper retries them
TRANSIENT: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError)

WORDS_LIMIT = 300
"""Characters of a product exception's text kept in its reason (as of an HTTP error body)."""


def _full_words(exc: BaseException) -> str | None:
    """``str(exc)``, or None when its ``__str__`` itself raises."""
    try:
        return str(exc)
    except Exception:
        return None


def exception_words(exc: BaseException) -> str:
    """The text of an exception product code raised, safe to quote: cut to
    :data:`WORDS_LIMIT` characters (saying how long it was), and said to be unreadable
    when its ``__str__`` itself raises. An exception carrying the whole prompt (50 MB) was
    printed whole on the terminal and written whole into results.json, transcripts.jsonl
    and report.html; one whose ``__str__`` raised crashed the run with a traceback.

    Example:
        >>> exception_words(ValueError("x" * 1000))[-26:]
        'xxxxxx… (1,000 characters)'
        >>> class Odd(Exception):
        ...     def __str__(self) -> str:
        ...         raise AttributeError("code")
        >>> exception_words(Odd())
        '(its text could not be read: its __str__ raised)'
    """
    detail = _full_words(exc)
    if detail is None:
        return "(its text could not be read: its __str__ raised)"
    if len(detail) > WORDS_LIMIT:
        return f"{detail[:WORDS_LIMIT]}… ({len(detail):,} characters)"
    return detail


def _settle(future: asyncio.Future[Any], result: Any, exc: BaseException | None) -> None:
    if future.done():  # the caller gave up (timeout, cancelled run): nobody is waiting
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)


async def call_in_thread(fn: Callable[..., T], *args: Any) -> T:
    """``await fn(*args)`` run on a new daemon thread, like :func:`asyncio.to_thread` but
    abandonable: cancelling the await (a timeout) leaves the thread to finish or hang on
    its own, and a hung thread never delays the process's exit.

    Example:
        >>> asyncio.run(call_in_thread(sum, [1, 2]))
        3
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    context = contextvars.copy_context()

    def work() -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            result = context.run(fn, *args)
        except StopIteration as exc:
            # a future refuses a StopIteration ('interacts badly with generators'): the
            # call never settled, its run hung with a traceback per call; it is a
            # RuntimeError, as Python makes it when a coroutine raises one
            error = RuntimeError("function raised StopIteration")
            error.__cause__ = exc
        except BaseException as exc:  # handed to the awaiting coroutine, raised there
            error = exc
        with contextlib.suppress(RuntimeError):  # a closed event loop: the run is over
            loop.call_soon_threadsafe(_settle, future, result, error)

    threading.Thread(
        target=work, name=f"backbone-call-{getattr(fn, '__name__', 'fn')}", daemon=True
    ).start()
    return await future


class _ProductBaseException(Exception):
    """A ``BaseException`` that is not an ``Exception`` (``CancelledError``,
    ``KeyboardInterrupt``, ``GeneratorExit``, a class of the product's own), raised by product
    code on its own thread: no signal or cancellation of the run reaches that thread, so it is
    the product's failure, carried back to the event loop as an ordinary exception."""

    def __init__(self, original: BaseException) -> None:
        detail = exception_words(original)
        super().__init__(type(original).__name__ + (f": {detail}" if detail else ""))


def _own_thread(fn: Callable[..., T]) -> Callable[..., T]:
    """``fn`` for :func:`call_in_thread`, its ``BaseException``s other than ``SystemExit``
    made ordinary exceptions: handed to the event loop as they are, a ``CancelledError``
    cancels the conversation's worker (its scenario silently dropped) and a
    ``KeyboardInterrupt`` stops the whole run with a traceback."""

    def guarded(*args: Any) -> T:
        try:
            return fn(*args)
        except (Exception, SystemExit):
            raise
        except BaseException as exc:  # the product's, see above
            raise _ProductBaseException(exc) from exc

    return guarded


_OTHER_LOOP = (
    "attached to a different loop",
    "bound to a different event loop",
    "await wasn't used with future",  # the same future awaited again after that
)
"""What asyncio says when a coroutine awaits an object made on another event loop."""

OTHER_LOOP_ADVICE = (
    "the function awaited an object (a client, lock, queue or future) made on another event "
    "loop: backbone plays the run on an event loop of its own (on a thread of its own when "
    "evaluate() is called from a running loop, as in a notebook, whose loop waits for it "
    "meanwhile), so an object made on the caller's loop, or on an earlier run's, cannot be "
    "awaited there; make such objects inside the function (on each call, or once per event "
    "loop), not outside it"
)


def product_error(exc: Exception) -> TargetError:
    """The target error for an exception raised by product code: transient ones
    (:data:`TRANSIENT`) are retryable, the rest final; the message is the exception's type
    and text (``RuntimeError: boom``), the original is its ``__cause__``. An async function
    that awaited an object of another event loop is told why and what to do
    (:data:`OTHER_LOOP_ADVICE`): asyncio's own words ("Task <Task pending ...> got Future
    <Future pending> attached to a different loop") said neither.

    Example:
        >>> print(product_error(RuntimeError("boom")))
        RuntimeError: boom
        >>> str(product_error(RuntimeError("<Lock> is bound to a different event loop")))[:60]
        'RuntimeError (an object of another event loop): the function'
    """
    if isinstance(exc, TargetError):
        return exc
    if isinstance(exc, _ProductBaseException):
        return TargetError(str(exc))  # "CancelledError", "KeyboardInterrupt": final
    full = _full_words(exc) or ""  # asyncio's words may come after a long coroutine repr
    if isinstance(exc, RuntimeError) and any(words in full for words in _OTHER_LOOP):
        return TargetError(f"RuntimeError (an object of another event loop): {OTHER_LOOP_ADVICE}")
    detail = exception_words(exc)
    message = type(exc).__name__ + (f": {detail}" if detail else "")
    if isinstance(exc, TRANSIENT):
        return RetryableTargetError(message)
    return TargetError(message)


class CallableTarget:
    """Wraps a function ``messages -> str`` (sync or async)."""

    def __init__(self, fn: Callable[..., Any], *, name: str, fingerprint: str = "") -> None:
        self._fn = fn
        self._is_async = inspect.iscoroutinefunction(fn)
        self._identity = {"provider": "python", "function": name, "source": fingerprint}

    @property
    def identity(self) -> Mapping[str, Any]:
        return self._identity

    async def complete(self, request: Request) -> Reply:
        messages = request.as_dicts()

        async def call() -> Any:
            if self._is_async:
                return await self._fn(messages)
            result = await call_in_thread(_own_thread(self._fn), messages)
            if inspect.isawaitable(result):
                result = await result
            return result

        name = self._identity["function"]
        result = await product_call(call, name)
        if not isinstance(result, str):
            raise TargetError(f"{name} returned {type(result).__name__}, expected str")
        return Reply(text=result)


class ExitRefused(Exception):
    """``os._exit`` called by product code while :func:`os_exit_refused` held."""

    def __init__(self, status: int) -> None:
        super().__init__(f"os._exit({status!r})")
        self.status = status


_exit_lock = threading.Lock()
_exit_holders = 0
_real_exit = os._exit
_exit_pid = 0


def _refused_exit(status: int) -> NoReturn:
    if os.getpid() != _exit_pid:  # a child the product forked (multiprocessing): its own exit
        _real_exit(status)
    raise ExitRefused(status)


@contextlib.contextmanager
def os_exit_refused() -> Iterator[None]:
    """``os._exit`` raises :class:`ExitRefused` in this process while product code runs (a
    ``python:`` module imported, a call of its function; nested and concurrent uses hold it
    together), so that product code cannot end the run unseen: ``os._exit(0)`` in a
    module or a function ended ``backbone run`` at once with exit 0 and nothing written,
    a run that never finished reported as a success. A child the product forks exits as it
    asks; a sync call abandoned on its thread (a timeout) is not held past its call."""
    global _exit_holders, _real_exit, _exit_pid
    with _exit_lock:
        if _exit_holders == 0:
            _real_exit, _exit_pid = os._exit, os.getpid()
            os._exit = _refused_exit
        _exit_holders += 1
    try:
        yield
    finally:
        with _exit_lock:
            _exit_holders -= 1
            if _exit_holders == 0:
                os._exit = _real_exit


async def product_call(call: Callable[[], Awaitable[T]], name: str) -> T:
    """``await call()``, where product code runs: whatever it raises becomes a target error
    (:func:`product_error`), so that call's scenario ends ``unscored`` and the run goes on;
    what is the run's own (its cancellation, a Ctrl-C) goes on as it is; ``os._exit`` in
    it ends that call, not the run (:func:`os_exit_refused`)."""
    try:
        with os_exit_refused():
            return await call()
    except ExitRefused as exc:
        raise TargetError(f"{name} called os._exit({exc.status!r})") from None
    except Exception as exc:  # product code failed: a target failure, never a crash
        raise product_error(exc) from exc
    except SystemExit as exc:  # sys.exit() in product code ends that call, not the run
        raise TargetError(f"{name} called sys.exit({exc.code!r})") from None
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise  # the run cancelled this call (a timeout, Ctrl-C): not the product's
        # the product's own CancelledError (an inner task it awaited was cancelled): the
        # conversation's worker would end as if cancelled, and its scenario vanish from
        # the run without a word
        raise TargetError(f"{name} raised CancelledError") from None
    except (KeyboardInterrupt, GeneratorExit):
        # on the event loop these may be the run's own: a second Ctrl-C lands in whatever
        # code runs (an async function that blocks the loop), and closing an abandoned
        # coroutine throws GeneratorExit into it; either must go on
        raise
    except BaseException as exc:  # a class of the product's own (gevent's Timeout,
        # pytest's Failed): raised by an async function's own code, never by a signal or
        # the run, so the product's failure, as on a sync function's thread
        # (:func:`_own_thread`); raised on, it stopped the whole run with a traceback
        wrapped = _ProductBaseException(exc)
        wrapped.__cause__ = exc
        raise product_error(wrapped) from wrapped


class OwnTarget:
    """A target object the user wrote (``identity`` and ``complete``), passed to
    ``evaluate()`` in code, held to what a function target is held to: an exception its
    ``complete`` raises is a target error (that scenario ``unscored``, the run goes on), a
    ``complete`` that is not async or returns a ``str`` is taken as it is (a sync one runs on
    a thread of its own, as a sync function does), and anything else it returns is a target
    error naming it. Before, ``RuntimeError: boom`` from one call, a
    returned ``str`` (``'str' object has no attribute 'cached'``) or a sync ``complete``
    (``object Reply can't be used in 'await' expression``) stopped the whole run with a
    traceback, every reply so far lost unless cached.

    Example:
        >>> class Mine:
        ...     identity = {"provider": "mine", "model": "v1"}
        ...     def complete(self, request):
        ...         return "It is still Rome."
        >>> from backbone.targets.messages import ChatMessage
        >>> asyncio.run(OwnTarget(Mine()).complete(Request((ChatMessage("user", "Sure?"),))))
        Reply(text='It is still Rome.', usage=Usage(...), cached=False, cut=False, ...)
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self._name = f"{type(inner).__module__}:{type(inner).__qualname__}"

    @property
    def identity(self) -> Mapping[str, Any]:
        identity: Mapping[str, Any] = self.inner.identity
        return identity

    async def complete(self, request: Request) -> Reply:
        complete = self.inner.complete

        async def call() -> Any:
            if inspect.iscoroutinefunction(complete):
                result = complete(request)
            else:  # on a thread of its own, as a sync function target's: on the event
                # loop, a blocking call held every conversation, and --timeout never fired
                result = await call_in_thread(_own_thread(complete), request)
            return await result if inspect.isawaitable(result) else result

        result = await product_call(call, f"{self._name}.complete")
        if isinstance(result, Reply):
            return _sound(result)
        if isinstance(result, str):
            return Reply(text=result)
        raise TargetError(
            f"{self._name}.complete returned {type(result).__name__}, expected a Reply or str"
        )


def _sound(reply: Reply) -> Reply:
    """``reply`` as a user's own ``complete`` made it, with the token counts and the cut
    flags a provider's reply would have: a count that is not one (``None`` from a server
    that reports no usage, a float, a negative number) is 0, as :func:`count` reads an HTTP
    reply's usage. Taken as it was, ``Usage(None, None)`` stopped the whole run with a
    traceback: "NOT NULL constraint failed" storing it in the cache or the journal, or
    ``int += NoneType`` counting the run's tokens.

    Example:
        >>> _sound(Reply("Rome.", usage=Usage(None, 7.5))).usage  # type: ignore[arg-type]
        Usage(input_tokens=0, output_tokens=7)
    """
    usage = reply.usage
    tokens_in = count(getattr(usage, "input_tokens", None))
    tokens_out = count(getattr(usage, "output_tokens", None))
    cut = bool(reply.cut)
    by_context = cut and bool(reply.cut_by_context)
    if (
        isinstance(usage, Usage)
        and (tokens_in, tokens_out) == (usage.input_tokens, usage.output_tokens)
        and (cut, by_context) == (reply.cut, reply.cut_by_context)
    ):
        return reply
    return dataclasses.replace(
        reply, usage=Usage(tokens_in, tokens_out), cut=cut, cut_by_context=by_context
    )


def check_one_argument(fn: Callable[..., Any], name: str, role: str, takes: str) -> None:
    """Raise :class:`TargetSpecError` when ``fn`` cannot be called with one positional
    argument (``takes`` says what it is given): then every call of the run would fail the
    same way, each scenario ending unscored, so it is refused before any call. A function
    whose signature Python cannot read (some built-ins) is let through.

    Example:
        >>> check_one_argument(lambda messages: "ok", "m:f", "target", "the messages")
        >>> try:
        ...     check_one_argument(lambda messages, config: "ok", "m:f", "target", "the messages")
        ... except TargetSpecError as exc:
        ...     print(str(exc).split(": ", 1)[1])
        missing a required argument: 'config'
    """
    check_arguments(fn, name, role, 1, takes)


_COUNTS = {1: "one argument", 2: "two arguments", 3: "three arguments", 4: "four arguments"}


def check_arguments(fn: Callable[..., Any], name: str, role: str, count: int, takes: str) -> None:
    """:func:`check_one_argument` for a function called with ``count`` positional arguments
    (the pressure role's ``fn(messages, claim, persona, turn)``).

    Example:
        >>> try:
        ...     check_arguments(lambda messages: "No.", "m:f", "pressure", 4, "(messages, ...)")
        ... except TargetSpecError as exc:
        ...     print(str(exc).split(": ", 1)[1])
        too many positional arguments
    """
    call = getattr(type(fn), "__call__", None) if not inspect.isroutine(fn) else None  # noqa: B004
    if any(
        inspect.isgeneratorfunction(f) or inspect.isasyncgenfunction(f)
        for f in (fn, call)
        if f is not None
    ):
        # every call returned a generator: each scenario 'unscored', 'returned generator'
        raise TargetSpecError(
            f"python {role} {name} is a generator function (it yields its result in pieces, "
            "as a streaming reply does); backbone needs the whole result from one call: "
            "return the pieces joined, e.g. ''.join(...)"
        )
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return
    try:
        signature.bind(*([None] * count))
    except TypeError as exc:
        raise TargetSpecError(
            f"python {role} {name}{signature} cannot be called with "
            f"{_COUNTS.get(count, f'{count} arguments')}, {takes}: {exc}"
        ) from None


def source_fingerprint(path: str | None) -> str:
    """A short hash of a source file ("" when there is none), so that editing the product
    code invalidates its cached replies."""
    if path and Path(path).is_file():
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    return ""


def function_target(fn: Callable[..., Any]) -> CallableTarget:
    """A function passed in code as a target, named ``MODULE:QUALNAME`` (a partial or a
    bound method by its function, an object by its class) and fingerprinted by its source
    file (as a ``python:MODULE:FUNC`` target is) and by what the object itself is
    (:func:`object_fingerprint`).

    Example:
        >>> import functools
        >>> def bot(messages, city):
        ...     return city
        >>> tokyo = function_target(functools.partial(bot, city="Tokyo"))
        >>> osaka = function_target(functools.partial(bot, city="Osaka"))
        >>> tokyo.identity["function"].endswith(":bot")
        True
        >>> tokyo.identity["source"] != osaka.identity["source"]
        True
    """
    inner = _underlying(fn)
    source = _defined_in(fn)
    name = f"{getattr(inner, '__module__', None) or 'fn'}:{getattr(inner, '__qualname__', 'fn')}"
    try:
        described = object_fingerprint(fn)
    except Exception:  # an object that cannot be described: a key of its own, never shared
        described = uuid.uuid4().hex
    parts = f"{source_fingerprint(source)}|{described}"
    fingerprint = hashlib.sha256(parts.encode()).hexdigest()[:16]
    return CallableTarget(fn, name=name, fingerprint=fingerprint)


def _underlying(fn: Any) -> Any:
    """The function a partial or a bound method calls, the class of an object with a
    ``__call__`` (what names the target and locates its source)."""
    for _ in range(8):
        if isinstance(fn, functools.partial):
            fn = fn.func
        elif isinstance(fn, types.MethodType):
            fn = fn.__func__
        else:
            break
    if isinstance(fn, types.FunctionType | types.BuiltinFunctionType | type):
        return fn
    return type(fn)


_FINGERPRINT_DEPTH = 4


def object_fingerprint(fn: Any) -> str:
    """What a callable passed in code is, beyond its name and source file, written out so
    that a change of it changes the response cache's key: a function's code (two lambdas of
    one file, a function edited in a notebook cell, whose source file does not exist), its
    defaults, its closure's values and the plain values (``MODEL = "a"``) of the globals it
    names; a partial's arguments; an object's class and attributes. Before, all of them
    shared ``MODULE:QUALNAME`` and the file's hash as the cache key, so
    ``evaluate(target=partial(bot, city="Osaka"))`` after ``city="Tokyo"`` was served
    Tokyo's replies, silently. An object whose ``repr`` shows its address is written as its
    type (and attributes), so the key stays the same from process to process.

    Example:
        >>> object_fingerprint(lambda m: "Rome") != object_fingerprint(lambda m: "Paris")
        True
        >>> object_fingerprint(lambda m: "Rome") == object_fingerprint(lambda m: "Rome")
        True
    """
    return _described(fn, _FINGERPRINT_DEPTH, set())


_DEFAULT_REPR: Any = object.__repr__  # "<Bot object at 0x7f...>": an address, not a state
_PLAIN = (str, int, float, complex, bool, bytes, type(None))


def _described(value: Any, depth: int, seen: set[int]) -> str:
    if isinstance(value, _PLAIN):
        return repr(value)
    kind = f"{type(value).__module__}.{type(value).__qualname__}"
    if depth <= 0 or id(value) in seen:
        return kind
    seen = seen | {id(value)}
    deeper = depth - 1

    def each(items: Any) -> str:
        return ",".join(_described(v, deeper, seen) for v in items)

    if isinstance(value, types.FunctionType):
        return "function(" + _function(value, deeper, seen) + ")"
    if isinstance(value, functools.partial):
        keywords = sorted(value.keywords.items())
        return f"partial({_described(value.func, depth, seen)};{each(value.args)};" + (
            ",".join(f"{k}={_described(v, deeper, seen)}" for k, v in keywords) + ")"
        )
    if isinstance(value, types.MethodType):
        return f"method({_described(value.__func__, depth, seen)};" + (
            _described(value.__self__, deeper, seen) + ")"
        )
    if isinstance(value, types.ModuleType | type | types.BuiltinFunctionType):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value)}"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return f"{kind}[{each(items)}]"
    if isinstance(value, Mapping):
        pairs = ",".join(
            f"{_described(k, deeper, seen)}:{_described(v, deeper, seen)}"
            for k, v in list(value.items())
        )
        return f"{kind}{{{pairs}}}"
    if type(value).__repr__ is not _DEFAULT_REPR:
        try:
            return f"{kind}:{value!r}"
        except Exception:  # a repr that fails: the type and attributes say what they can
            pass
    call = getattr(type(value), "__call__", None)  # noqa: B004 (the class's, not the object's)
    own = vars(value) if hasattr(value, "__dict__") else {}
    return (
        f"{kind}<{_described(call, deeper, seen) if callable(value) else ''};"
        + _described(dict(own), deeper, seen)
        + ">"
    )


def _function(fn: types.FunctionType, depth: int, seen: set[int]) -> str:
    """A function's code, defaults, closure and the plain values of the globals it names."""
    cells = []
    for cell in fn.__closure__ or ():
        try:
            cells.append(_described(cell.cell_contents, depth, seen))
        except ValueError:  # a cell not filled yet
            cells.append("<empty>")
    plain = [
        f"{n}={fn.__globals__[n]!r}"
        for n in _names(fn.__code__)
        if isinstance(fn.__globals__.get(n, ...), _PLAIN)
    ]
    return ";".join([
        f"{fn.__module__}.{fn.__qualname__}",
        _code(fn.__code__),
        _described(fn.__defaults__, depth, seen),
        _described(fn.__kwdefaults__, depth, seen),
        ",".join(cells),
        ",".join(plain),
    ])  # fmt: skip


def _code(code: types.CodeType) -> str:
    digest = hashlib.sha256(code.co_code)
    for const in code.co_consts:
        digest.update((_code(const) if isinstance(const, types.CodeType) else repr(const)).encode())
    digest.update(repr(code.co_names).encode())
    return digest.hexdigest()[:16]


def _names(code: types.CodeType) -> list[str]:
    """The global names a function's code (and the code nested in it) may read."""
    names = list(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names.extend(_names(const))
    return sorted(set(names))


def _file_module_name(path: Path) -> str:
    """The name a ``.py`` file is imported under: its stem, unless a module of that name is
    already loaded from elsewhere (``json.py`` must not replace the standard library's
    ``json``), then the stem and a hash of its path.

    Example:
        >>> _file_module_name(Path("/nowhere/my_bot.py"))
        'my_bot'
        >>> _file_module_name(Path("/nowhere/json.py")).startswith("json_")
        True
    """
    resolved = path.resolve()
    loaded = sys.modules.get(path.stem)
    if loaded is None:
        return path.stem
    if getattr(loaded, "__file__", None) and Path(loaded.__file__ or "").resolve() == resolved:
        return path.stem  # the same file again (a target and a judge from one file)
    return f"{path.stem}_{hashlib.sha256(str(resolved).encode()).hexdigest()[:12]}"


def _imported(
    module_name: str, func_name: str, role: str
) -> tuple[types.ModuleType, str, dict[Path, str]]:
    """The module a ``python:`` spec names (a ``.py`` path or a dotted name), as its source
    is now, its file's fingerprint, and the fingerprint of each file read to tell
    (:func:`_as_on_disk`), by its resolved path."""
    if module_name.endswith(".py"):
        path = Path(module_name)
        if not path.is_file():
            raise TargetSpecError(f"python {role}: no such file {module_name}")
        name = _file_module_name(path)
        mod_spec = importlib.util.spec_from_file_location(name, path)
        if mod_spec is None or mod_spec.loader is None:
            raise TargetSpecError(f"python {role}: cannot import {module_name}")
        module = importlib.util.module_from_spec(mod_spec)
        # in sys.modules while it runs, as an import puts it: a dataclass under
        # `from __future__ import annotations`, pickle and typing.get_type_hints look
        # the module up there by name, and failed ('NoneType' object has no attribute
        # '__dict__') when it was not
        sys.modules[name] = module
        try:
            mod_spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)
            raise
        return module, source_fingerprint(getattr(module, "__file__", None)), {}
    return _as_on_disk(importlib.import_module(module_name), func_name)


def load_function(spec: str, role: str = "target") -> tuple[Callable[..., Any], str, str]:
    """Resolve ``MODULE:FUNCTION`` (a dotted module or a ``.py`` path) to the function;
    ``role`` (target, judge, pressure) names it in the errors.

    Returns the function, a display name and a fingerprint of the product code around it
    (:func:`product_fingerprint`), so that editing the product code invalidates cached replies.
    """
    module_name, sep, func_name = spec.rpartition(":")
    if not sep or not module_name or not func_name:
        raise TargetSpecError(
            f"python {role} must be 'python:MODULE:FUNCTION', got 'python:{spec}'"
        )
    cwd = str(Path.cwd())
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        with os_exit_refused():
            module, own, hashed = _imported(module_name, func_name, role)
    except TargetSpecError:
        raise
    except ExitRefused as exc:
        raise TargetSpecError(
            f"python {role}: cannot import module '{module_name}': the module called "
            f"os._exit({exc.status!r}) while it was imported"
        ) from exc
    except (Exception, SystemExit) as exc:  # the user's module failed to import (or exited)
        raise TargetSpecError(
            f"python {role}: cannot import module '{module_name}': {type(exc).__name__}: "
            f"{exception_words(exc)}"
        ) from exc
    fn = getattr(module, func_name, None)
    if fn is None:
        raise TargetSpecError(
            f"python {role}: module '{module_name}' has no function '{func_name}'"
        )
    if not callable(fn):
        raise TargetSpecError(
            f"python {role}: '{module_name}:{func_name}' is a {type(fn).__name__}, not a "
            "function to call"
        )
    module_file = getattr(module, "__file__", None)
    fingerprint = _product_at_load(module, own)
    defined_in = _defined_in(fn)
    if defined_in and module_file and Path(defined_in).resolve() != Path(module_file).resolve():
        # 'python:myapp:reply' with 'from .bot import reply' in myapp/__init__.py: editing
        # myapp/bot.py left the key as it was, and the run was served the old replies
        defining = hashed.get(Path(defined_in).resolve())
        if defining is None:  # the reload check did not read it (a .py path's import)
            defining = source_fingerprint(defined_in)
        both = f"{fingerprint}|{defining}"
        fingerprint = hashlib.sha256(both.encode()).hexdigest()[:16]
    return fn, f"{module_name}:{func_name}", fingerprint


_PRODUCT_FILES_MAX = 2000
_PRODUCT_FILE_BYTES_MAX = 1 << 20
_NOT_PRODUCT = {"__pycache__", "node_modules", "site-packages", "dist-packages"}


def product_fingerprint(module: types.ModuleType) -> str:
    """A short hash of the product code a ``python:MODULE:FUNC`` spec runs, so that editing
    any of it invalidates its cached replies: every file of the top-level package the module
    belongs to (``myapp/`` for ``myapp.bot``: its other modules, prompt templates, settings),
    or, for a module that is no package's (``bot.py`` beside the working directory, or given
    as a path), its file and what it imports from its folder (:func:`_imported_beside`).
    Before, only the module's own file was hashed, so a prompt edited in
    ``myapp/prompts.py`` was served the old prompt's replies from the cache, the run saying
    only "0 made". Files over 1 MiB count by name and size;
    past 2,000 files only the ``.py`` files count, and past that the module's file alone;
    an installed package (under ``site-packages``) counts by the module's file alone.

    Example:
        >>> import tempfile, importlib.util
        >>> app = Path(tempfile.mkdtemp()) / "app"
        >>> app.mkdir(); _ = (app / "__init__.py").write_text("")
        >>> _ = (app / "bot.py").write_text("from app.prompts import SYSTEM")
        >>> _ = (app / "prompts.py").write_text("SYSTEM = 'Be brief.'")
        >>> sys.path.insert(0, str(app.parent)); bot = importlib.import_module("app.bot")
        >>> before = product_fingerprint(bot)
        >>> _ = (app / "prompts.py").write_text("SYSTEM = 'Agree with the user.'")
        >>> product_fingerprint(bot) != before
        True
        >>> _ = sys.path.remove(str(app.parent))
    """
    module_file = getattr(module, "__file__", None)
    files = _product_files(module, module_file)
    if not files:
        return source_fingerprint(module_file)
    root = files[0][0]
    digest = hashlib.sha256()
    for folder, path in files:
        try:
            info = path.stat()
            size = info.st_size
            if not stat.S_ISREG(info.st_mode):
                # a named pipe (or a link to a device) in the package: read, it held the
                # command before its first call, forever; it counts by its name
                body = b""
            elif size <= _PRODUCT_FILE_BYTES_MAX:
                body = path.read_bytes()
            else:
                body = str(size).encode()
        except OSError:  # gone or unreadable since it was listed: it counts by its name
            body = b""
        name = str(path.relative_to(folder)) if folder == root else str(path)
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0" + body + b"\0")
    return digest.hexdigest()[:16]


def _product_files(module: types.ModuleType, module_file: str | None) -> list[tuple[Path, Path]]:
    """(folder, file) for each file :func:`product_fingerprint` reads, sorted; [] for the
    module's file alone."""
    if not module_file or not Path(module_file).is_file():
        return []
    top = sys.modules.get(module.__name__.partition(".")[0])
    top_file = getattr(top, "__file__", None) if top is not None else None
    package = top is not None and hasattr(top, "__path__") and top_file is not None
    root = Path(top_file).parent if package and top_file else Path(module_file).parent
    if _installed(root):
        return []
    if package:
        found = _package_files(root)
    elif "." in module.__name__:  # a module of a namespace package (no __init__.py): its
        # imports of its siblings are dotted or relative, so the folder's modules count
        found = sorted(p for p in root.glob("*.py") if p.is_file())
    else:
        found = _imported_beside(Path(module_file))
    if len(found) > _PRODUCT_FILES_MAX:
        return []
    return [(root, p) for p in found]


@functools.cache
def _standard_library() -> tuple[Path, ...]:
    paths = sysconfig.get_paths()
    return tuple({Path(paths[key]).resolve() for key in ("stdlib", "platstdlib")})


def _installed(root: Path) -> bool:
    """Whether ``root`` holds installed code (under ``site-packages``) or Python's own
    modules (``os``, ``json/``): a module there counts by its file alone. Read for its
    imports, ``python:os:getcwd`` walked the standard library (some 2,000 files parsed,
    25 s) before its first call. The path is resolved once for both checks."""
    where = root.resolve()
    if _NOT_PRODUCT & set(where.parts):
        return True
    return any(where.is_relative_to(lib) for lib in _standard_library())


def _package_files(root: Path) -> list[Path]:
    """Every file of the package at ``root``, sorted (its ``.py`` files alone when there are
    too many)."""
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _NOT_PRODUCT)
        found += [
            Path(folder, n)
            for n in names
            if not n.startswith(".") and not n.endswith((".pyc", ".pyo"))
        ]
        if len(found) > 4 * _PRODUCT_FILES_MAX:
            break
    found.sort()
    if len(found) > _PRODUCT_FILES_MAX:
        found = [p for p in found if p.suffix == ".py"]
    return found


def _imported_beside(module_file: Path) -> list[Path]:
    """A top-level module's file and the files of what it imports from its own folder
    (``prompts.py``, a package ``helpers/``), and what those import from it in turn,
    sorted: read from the source (``import`` and ``from ... import`` anywhere in the file,
    ``importlib.import_module("name")`` with a literal name), so that an import inside the
    function counts too. Before, every ``.py`` file in the folder counted, so editing an
    unrelated script beside ``bot.py`` made a re-run pay for every reply again. A module
    imported under a computed name is not seen."""
    root = module_file.parent
    found: dict[Path, None] = {}
    todo = [module_file]
    while todo and len(found) <= _PRODUCT_FILES_MAX:
        path = todo.pop()
        if path in found:
            continue
        found[path] = None
        if path.suffix != ".py":
            continue
        for name in _imports_of(path):
            if (root / f"{name}.py").is_file():
                todo.append(root / f"{name}.py")
            elif name not in _NOT_PRODUCT and any((root / name).glob("*.py")):  # a package
                todo.extend(_package_files(root / name))
    return sorted(found)


def _imports_of(path: Path) -> list[str]:
    """The top-level names of the modules a source file imports absolutely (``a`` for
    ``import a.b``, ``from a import b`` and ``importlib.import_module("a.b")``); [] for a
    file that is too big or cannot be read or parsed (it still counts by its bytes)."""
    try:
        if path.stat().st_size > _PRODUCT_FILE_BYTES_MAX:
            return []
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        # a generated table nested past the parser's depth (1+1+...): Python cannot parse
        # it either; it counts by its bytes, the load goes on
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Call):
            names.append(_imported_by_name(node))
    tops = {name.partition(".")[0] for name in names}
    return sorted(top for top in tops if top.isidentifier())  # never a path ('/srv/x')


def _imported_by_name(call: ast.Call) -> str:
    """The name ``call`` imports when it is ``importlib.import_module("...")``,
    ``import_module("...")`` or ``__import__("...")`` with a literal name, else ""."""
    func = call.func
    named = (isinstance(func, ast.Attribute) and func.attr == "import_module") or (
        isinstance(func, ast.Name) and func.id in ("import_module", "__import__")
    )
    first = call.args[0] if call.args else None
    if named and isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return ""


@dataclasses.dataclass
class _AtLoad:
    """What this process saw of a module a ``python:`` spec named, as it was loaded (again
    after a reload): its own file's fingerprint (:func:`source_fingerprint`), which tells
    whether the file changed since, and the product's (:func:`product_fingerprint`), taken
    on the first load that needs it."""

    source: str
    product: str | None = None


_AT_LOAD: dict[str, _AtLoad] = {}
"""One record per module a ``python:MODULE:FUNC`` spec named (and per module defining its
function), read by the reload check (:func:`_as_on_disk`) and the product fingerprint
(:func:`_product_at_load`) alike, so that a load hashes the module's file once."""


def _product_at_load(module: types.ModuleType, own: str) -> str:
    """:func:`product_fingerprint` of ``module`` as it was when this process loaded it (again
    after it is reloaded): the key names the code that runs. In a notebook, a module beside it
    edited after the import still runs as imported, so its replies must not be stored under
    the edited files' key (a fresh process, which runs the edit, would be served them).
    ``own`` is the fingerprint of the module's file as it is now."""
    seen = _AT_LOAD.get(module.__name__)
    if seen is not None and seen.source == own and seen.product is not None:
        return seen.product
    product = product_fingerprint(module)
    _AT_LOAD[module.__name__] = _AtLoad(own, product)
    return product


def _as_on_disk(
    module: types.ModuleType, func_name: str
) -> tuple[types.ModuleType, str, dict[Path, str]]:
    """``module`` as its source is now, its file's fingerprint, and that of each file read
    by its resolved path (the caller keys a re-exported function by its defining file, read
    here already: hashed again, it was read twice per load): reloaded when its file (or
    the file of the module defining ``func_name``, which it re-exports) changed since this
    process first used it. In a notebook, ``evaluate(target="python:myapp.bot:reply")``
    again after editing ``myapp/bot.py`` ran the old function, already imported, while the
    cache key took the hash of the new file: the old code's replies were stored under the
    new source, and served to every later run of it, a fresh process's too."""
    inner = getattr(module, func_name, None)
    defining = sys.modules.get(getattr(_underlying(inner), "__module__", None) or "")
    reload = False
    own = ""
    hashed: dict[Path, str] = {}
    for mod in dict.fromkeys([defining, module] if inner is not None else [module]):
        if mod is None:
            continue
        file = getattr(mod, "__file__", None)
        now = source_fingerprint(file)
        if file:
            hashed[Path(file).resolve()] = now
        seen = _AT_LOAD.setdefault(mod.__name__, _AtLoad(now))
        reload = reload or seen.source != now
        if reload:  # the defining module first, then the one re-exporting from it
            importlib.reload(mod)
            if seen.source != now:  # its own file changed: its product is taken anew
                _AT_LOAD[mod.__name__] = _AtLoad(now)
        if mod is module:
            own = now
    return sys.modules.get(module.__name__, module), own, hashed


def _defined_in(fn: Any) -> str | None:
    """The source file of the function (or class) ``fn`` calls, if Python knows it."""
    try:
        return inspect.getsourcefile(_underlying(fn))
    except TypeError:
        return None
