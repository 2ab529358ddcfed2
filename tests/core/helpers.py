from pathlib import Path

DATA = Path(__file__).parent.parent / "data"
ROOT = Path(__file__).parent.parent.parent
