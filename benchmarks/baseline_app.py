"""The start-up baseline: a minimal two-command Typer app that prints a 20-row Rich table."""

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    print(f"hello {name}")


@app.command("list")
def list_() -> None:
    table = Table("code", "name", "kecamatan", "kabupaten")
    for i in range(20):
        table.add_row(f"35.13.13.{2001 + i}", f"Desa {i + 1}", "Besuk", "Probolinggo")
    Console().print(table)


if __name__ == "__main__":
    app()
