"""Operations commands: ``flask create-admin``, ``seed-demo``, ``keys ...``, ``sessions ...``, ``plans ...``,
``backup ...``."""
from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .extensions import db
from .models.base import utcnow
from .models.people import ADMIN
from .security.keyring import new_keyring
from .services import accounts, plans, seed
from .services.accounts import AccountError


def register(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
    app.cli.add_command(keys_cli)
    app.cli.add_command(sessions_cli)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(sla_cli)
    app.cli.add_command(plans_cli)
    app.cli.add_command(backup_cli)


@click.command("create-admin")
@click.option("--username", prompt="ชื่อผู้ใช้ (username)")
@click.option("--full-name", prompt="ชื่อ-นามสกุล")
@click.option("--password", default=None, help="Leave out to generate one and print it once.")
def create_admin(username: str, full_name: str, password: str | None) -> None:
    """Create an administrator account."""
    password = password or secrets.token_urlsafe(12)
    try:
        user = accounts.create_user(username=username, full_name=full_name, password=password,
                                    roles=[ADMIN], now=utcnow(), must_change_password=True)
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"สร้างผู้ดูแลระบบแล้ว: {user.username}")
    click.echo(f"รหัสผ่านชั่วคราว: {password}  (ต้องเปลี่ยนเมื่อเข้าสู่ระบบครั้งแรก)")


@click.command("seed-demo")
def seed_demo() -> None:
    """Create a demo organisation with units, categories and one account per role; print the logins."""
    created = seed.seed_demo(utcnow())
    db.session.commit()
    if not created:
        click.echo("ข้อมูลตัวอย่างมีอยู่แล้ว (demo data already present; passwords were printed when created)")
        return
    click.echo("=" * 64)
    click.echo("บัญชีตัวอย่าง (demo accounts) — sign in at /auth/login")
    for acct in created:
        click.echo(f"  {acct.username:<10} {acct.password:<20} {','.join(acct.roles)}")
    click.echo("=" * 64)


keys_cli = AppGroup("keys", help="Manage the keyring (encryption and index keys).")


@keys_cli.command("init")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def keys_init(path: Path) -> None:
    """Create a new keyring file at PATH (refuses to overwrite)."""
    if path.exists():
        raise click.ClickException(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    new_keyring(path).save()
    click.echo(f"keyring written to {path}; set SUJARIT_KEYRING={path} and back it up offline")


@keys_cli.command("status")
def keys_status() -> None:
    """Show the keyring's file, key ids and the active key (never the keys)."""
    ring = current_app.extensions["sujarit_keyring"]
    click.echo(f"file: {ring.path}")
    click.echo(f"keys: {', '.join(ring.keys)}; active: {ring.active}")


@keys_cli.command("rotate")
def keys_rotate() -> None:
    """Add a new active key and re-encrypt every stored value and attachment under it."""
    from .services import keys

    result = keys.rotate()
    click.echo(f"new active key: {result.new_key_id}; re-encrypted {result.values} values and {result.files} files")
    click.echo("old keys stay in the keyring so backups remain readable")


sessions_cli = AppGroup("sessions", help="Staff sessions and sign-in throttles.")


@sessions_cli.command("purge")
def sessions_purge() -> None:
    """End timed-out sessions and delete stale sign-in throttles."""
    gone = accounts.purge_old_throttles(utcnow())
    db.session.commit()
    click.echo(f"removed {gone} stale throttle rows")



@click.command("scheduler")
def scheduler_command() -> None:
    """Run the background jobs (reminders, e-mail delivery) until stopped; one process per deployment."""
    from .scheduler import process

    process.run(current_app._get_current_object())


sla_cli = AppGroup("sla", help="The 15-day clock: reminders and e-mail delivery.")


@sla_cli.command("run-once")
def sla_run_once() -> None:
    """Send due reminders and queued e-mails once (for cron instead of `flask scheduler`)."""
    from .scheduler import jobs

    result = jobs.run_once(current_app._get_current_object())
    click.echo(" ".join(f"{k}={v}" for k, v in result.items()))


plans_cli = AppGroup("plans", help="The anti-corruption plan: load a shipped plan, import measures from a file.")


@plans_cli.command("load-shipped")
@click.argument("key")
@click.option("--activate", is_flag=True, help="Make it the active plan.")
def plans_load_shipped(key: str, activate: bool) -> None:
    """Create a plan from a shipped file (KEY: banpong_2566_2570, takbai_2566_2570)."""
    try:
        plan = plans.load_shipped(key, now=utcnow(), activate=activate)
    except plans.PlanError as exc:
        db.session.rollback()
        known = ", ".join(s.key for s in plans.SHIPPED)
        raise click.ClickException(f"{exc} (shipped plans: {known})") from exc
    db.session.commit()
    click.echo(f"plan {plan.id}: {plan.title} ({len(plan.measures)} measures){' [active]' if plan.active else ''}")


@plans_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--plan", "plan_id", type=int, required=True, help="Id of the plan whose measures are replaced.")
@click.option("--no-default-links", is_flag=True, help="Do not link 3.2.x / 4.3.1 / 4.3.2 to complaints.")
def plans_import(path: Path, plan_id: int, no_default_links: bool) -> None:
    """Replace a plan's measures with those of a CSV/XLSX file (all or nothing)."""
    plan = plans.get_plan(plan_id)
    if plan is None:
        raise click.ClickException(f"no plan with id {plan_id}")
    try:
        summary = plans.import_file(plan, path.name, path.read_bytes(), default_links=not no_default_links,
                                    now=utcnow())
    except plans.PlanImportError as exc:
        db.session.rollback()
        raise click.ClickException("\n".join(exc.errors)) from exc
    db.session.commit()
    click.echo(f"imported {summary.measures} measures (created {summary.created}, updated {summary.updated}, "
               f"deleted {summary.deleted})")


backup_cli = AppGroup("backup", help="Snapshots of the database and attachments (never the keyring).")


def _keyring_reminder() -> None:
    ring = current_app.extensions["sujarit_keyring"]
    click.echo(f"The keyring is NOT in the snapshot. It is at {ring.path}: keep a copy of it offline, apart from "
               "the snapshots. Without it the encrypted data cannot be read; with it, anyone holding the "
               "snapshots could.")


def _run_backup(action, path: Path):
    from .services.operations.backups import BackupError

    try:
        return action(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc


@backup_cli.command("create")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
def backup_create(path: Path) -> None:
    """Write a consistent snapshot into the new or empty folder PATH while the service keeps running."""
    from .services.operations import backups

    summary = _run_backup(lambda p: backups.create(p, utcnow()), path)
    click.echo(f"snapshot written to {summary.path}: {summary.cases} cases, {summary.attachments} attachment "
               f"files, {summary.database} schema {summary.schema_revision}")
    _keyring_reminder()


@backup_cli.command("verify")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
def backup_verify(path: Path) -> None:
    """Check the snapshot in PATH (manifest and every checksum) without restoring it."""
    from .services.operations import backups

    summary = _run_backup(backups.verify, path)
    click.echo(f"snapshot {summary.path} is complete: taken {summary.created_at}, {summary.cases} cases, "
               f"{summary.attachments} attachment files, {summary.database} schema {summary.schema_revision}")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
def backup_restore(path: Path) -> None:
    """Restore the snapshot in PATH into the empty database and attachment folder configured here."""
    from .services.operations import backups

    summary = _run_backup(backups.restore, path)
    click.echo(f"restored {summary.cases} cases and {summary.attachments} attachment files from {summary.path} "
               f"(taken {summary.created_at}); the service can start on it now")
