"""The command line's shared-store commands: roles and logins (server …), row states.

Each connects with the login in its URL (``postgresql://suisan@host/db``): the
administrator for ``init`` and for making logins, a planner for mapping
departments and accepting rows, a department for submitting its own. A
password is never an argument: ``--password-prompt`` asks for it, else
PostgreSQL's password file or a certificate is used.
"""

from __future__ import annotations

import argparse
import getpass
import logging

from ..core.database import is_server
from ..core.model import ReportError
from ..core.store import Store
from .arguments import CliError, Parser, Subparsers, store_location, year_argument
from .storeopen import EXIT_OK

logger = logging.getLogger(__name__)


def register(sub: Subparsers) -> None:
    """Add server init, add-department, add-planner, grant, revoke, list, rows, submit,
    accept and return."""
    p = sub.add_parser("server", help="共有のデータベースの利用者・部署の権限と、行の提出・確認")
    server_sub = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    q = server_sub.add_parser(
        "init", help="データベースに役割・権限・行の保護を設定する(管理者が一度。再実行は無害)"
    )
    q.add_argument("db", metavar="URL", type=store_location, help="postgresql://管理者@サーバー/DB")
    q.set_defaults(func=cmd_init)
    q = server_sub.add_parser("add-department", help="部署の利用者を作り、所管部署を割り当てる")
    q.add_argument("department", metavar="部署", help="所管部署の名前(例: 水産課)")
    q.add_argument("--login", required=True, help="部署の利用者名(なければ作ります)")
    _password_argument(q)
    _db_argument(q)
    q.set_defaults(func=cmd_add_department)
    q = server_sub.add_parser("add-planner", help="企画担当の利用者を作る(すべてを変更できます)")
    q.add_argument("login", metavar="LOGIN", help="企画担当の利用者名(なければ作ります)")
    _password_argument(q)
    _db_argument(q)
    q.set_defaults(func=cmd_add_planner)
    for action, text in (
        ("grant", "部署の利用者にほかの所管部署の行も割り当てる"),
        ("revoke", "部署の利用者から所管部署の割り当てを外す"),
    ):
        q = server_sub.add_parser(action, help=text)
        q.add_argument("login", metavar="LOGIN", help="部署の利用者名")
        q.add_argument("department", metavar="部署", help="所管部署の名前")
        _db_argument(q)
        q.set_defaults(func=cmd_mapping)
    q = server_sub.add_parser("list", help="利用者と、割り当てた所管部署の一覧")
    _db_argument(q)
    q.set_defaults(func=cmd_list)
    q = server_sub.add_parser("rows", help="部署の行の状態(記入中・提出済み・確認済み)")
    q.add_argument("--dept", help="この部署の行だけ")
    _db_argument(q)
    year_argument(q)
    q.set_defaults(func=cmd_rows)
    q = server_sub.add_parser("submit", help="自分の部署の記入中の行を提出する")
    q.add_argument("--dept", help="この部署の行だけ(省略時は割り当てられたすべての部署)")
    _db_argument(q)
    year_argument(q)
    q.set_defaults(func=cmd_submit)
    q = server_sub.add_parser("accept", help="提出された行を確認済みにする(企画担当)")
    q.add_argument("rows", metavar="ROW", nargs="*", help="行の id(server rows で一覧)")
    q.add_argument("--dept", help="この部署の提出済みの行をすべて")
    _db_argument(q)
    year_argument(q)
    q.set_defaults(func=cmd_accept)
    q = server_sub.add_parser("return", help="提出された行をコメントを付けて差し戻す(企画担当)")
    q.add_argument("row", metavar="ROW", help="行の id(server rows で一覧)")
    q.add_argument("--comment", required=True, help="差し戻す理由")
    _db_argument(q)
    year_argument(q)
    q.set_defaults(func=cmd_return)


def _db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", required=True, type=store_location, help="共有のデータベース(postgresql://…)"
    )


def _password_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-prompt",
        action="store_true",
        help="新しいパスワードを入力する(省略時はパスワードを設定しません)",
    )


def _open(location) -> Store:
    if not is_server(location):
        raise CliError(
            f"{location} はデータファイルです。共有のデータベースを postgresql://… で指定して"
            "ください。"
        )
    return Store(location)


def _password(args: argparse.Namespace) -> str | None:
    if not args.password_prompt:
        return None
    first = getpass.getpass(f"{args.login} の新しいパスワード: ")
    if not first:
        raise CliError("パスワードが空です。")
    if getpass.getpass("もう一度入力してください: ") != first:
        raise CliError("2 回の入力が一致しません。パスワードは設定していません。")
    return first


def cmd_init(args: argparse.Namespace) -> int:
    """Set the database's roles, grants and row security up."""
    from ..core.server import roles

    with _open(args.db) as store:
        made = roles.init(store)
        where = store.location
    print(
        f"{where} を共有のデータベースとして設定しました(企画担当のグループ {made.planner}、"
        f"部署のグループ {made.department})。"
    )
    return EXIT_OK


def cmd_add_department(args: argparse.Namespace) -> int:
    """Make a department login if missing and map it to a department."""
    from ..core.server import logins

    password = _password(args)
    with _open(args.db) as store:
        made = logins.add_department(store, args.department, args.login, password)
    was = "作り、" if made else ""
    print(f"利用者 {args.login.strip()} を{was}{args.department.strip()}に割り当てました。")
    return EXIT_OK


def cmd_add_planner(args: argparse.Namespace) -> int:
    """Make a planner login (made if missing)."""
    from ..core.server import logins

    password = _password(args)
    with _open(args.db) as store:
        made = logins.add_planner(store, args.login, password)
    was = "作り、" if made else ""
    print(f"利用者 {args.login.strip()} を{was}企画担当にしました。")
    return EXIT_OK


def cmd_mapping(args: argparse.Namespace) -> int:
    """Map a department login to one more department, or take one away."""
    from ..core.server import logins

    with _open(args.db) as store:
        if args.action == "grant":
            logins.grant(store, args.login, args.department)
            print(f"利用者 {args.login} に{args.department}の行を割り当てました。")
        else:
            logins.revoke(store, args.login, args.department)
            print(f"利用者 {args.login} から{args.department}の割り当てを外しました。")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    """One line per login: its kind and its departments."""
    from ..core.server import logins

    with _open(args.db) as store:
        listed = logins.logins(store)
    if not listed:
        print("利用者はまだいません(server add-planner、server add-department で加えます)。")
    for login in listed:
        departments = "、".join(login.departments) or ("すべて" if login.planner else "なし")
        print(f"{login.name}\t{login.kind}\t{departments}")
    return EXIT_OK


def cmd_rows(args: argparse.Namespace) -> int:
    """One line per department row: its id, state, place and a returned row's comment."""
    from ..core.server import rowstates

    with _open(args.db) as store:
        report = store.load(args.year)
        states = rowstates.states(store, report)
        listed = rowstates.rows(report, [args.dept] if args.dept else None)
    for row in listed:
        state = states[row.entry.id]
        comment = f"\t{' '.join(state.comment.split())}" if state.comment else ""
        print(f"{row.entry.id}\t{state.state}\t{row.where}{comment}")
    counts = {}
    for row in listed:
        counts[states[row.entry.id].state] = counts.get(states[row.entry.id].state, 0) + 1
    summary = "、".join(f"{state} {count} 行" for state, count in counts.items()) or "行なし"
    print(f"合計 {len(listed)} 行({summary})")
    return EXIT_OK


def _departments(store, dept: str | None) -> list[str]:
    from ..core.server import logins

    me = logins.whoami(store)
    if dept is None:
        if not me.departments:
            raise ReportError(f"{me.name} には所管部署が割り当てられていません(--dept で指定)。")
        return list(me.departments)
    if not me.planner and dept not in me.departments:
        raise ReportError(f"{dept}は {me.name} の担当の部署ではありません。")
    return [dept]


def cmd_submit(args: argparse.Namespace) -> int:
    """Submit the login's rows (of one department with --dept) that are still being written."""
    from ..core.server import rowstates

    with _open(args.db) as store:
        report = store.load(args.year)
        departments = _departments(store, args.dept)
        chosen = rowstates.ids_in(store, report, departments, rowstates.DRAFT)
        if not chosen:
            raise ReportError(f"{'、'.join(departments)}に記入中の行はありません。")
        count = rowstates.submit(store, report, chosen)
    print(f"{'、'.join(departments)}の {count} 行を提出しました。")
    return EXIT_OK


def cmd_accept(args: argparse.Namespace) -> int:
    """Accept the rows named, or every submitted row of a department."""
    from ..core.server import rowstates

    if bool(args.rows) == bool(args.dept):
        raise CliError("確認済みにする行の id か、--dept のどちらかを指定してください。")
    with _open(args.db) as store:
        report = store.load(args.year)
        chosen = list(args.rows)
        if args.dept:
            chosen = rowstates.ids_in(store, report, [args.dept], rowstates.SUBMITTED)
            if not chosen:
                raise ReportError(f"{args.dept}に提出済みの行はありません。")
        count = rowstates.accept(store, report, chosen)
    print(f"{count} 行を確認済みにしました。")
    return EXIT_OK


def cmd_return(args: argparse.Namespace) -> int:
    """Give a row back to its department with a comment."""
    from ..core.server import rowstates

    with _open(args.db) as store:
        report = store.load(args.year)
        rowstates.give_back(store, report, args.row, args.comment)
        where = next(row.where for row in rowstates.rows(report) if row.entry.id == args.row)
    print(f"{where} を差し戻しました(記入中に戻りました)。")
    return EXIT_OK
