"""Similar-image and colour search (issue 14): what the pixels of some bytes look like, keyed by sha256."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Float,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from server_api.store.sql.models.base import Base


class BlobHashRow(Base):
    """The perceptual hash of some bytes (imaging/fingerprint.py), keyed by their sha256 like the
    blob itself. ``phash`` is NULL for a near-blank image (no hash: it would match every flat one).
    Multi-index hashing: the hash's four 16-bit bands, each indexed; two hashes within 4·r + 3 bits
    have some band within r bits (pigeonhole), so a search probes the bands, then checks the rest."""

    __tablename__ = "blob_hash"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    phash: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # signed 64-bit
    band0: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    band1: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    band2: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    band3: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    # fingerprint.RECIPE that made this row and its colours: older ones are recomputed by reindex
    recipe: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")


class BlobColourRow(Base):
    """One of up to 5 dominant colours of some bytes, in CIE Lab, with its share of the pixels.
    ``cell`` is the colour's 10-unit Lab cube (fingerprint.lab_cell): a colour search probes the
    few cells its radius touches instead of measuring every colour in the vault; the index holds the
    colour and share too, so the exact ΔE is measured without reading the table (migration 0014)."""

    __tablename__ = "blob_colour"
    __table_args__ = (
        Index("ix_blob_colour_cell_lab", "cell", "lab_l", "lab_a", "lab_b", "weight", "sha256"),
    )

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0 = the biggest share
    lab_l: Mapped[float] = mapped_column(Float)
    lab_a: Mapped[float] = mapped_column(Float)
    lab_b: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)  # share of the pixels, 0..1
    cell: Mapped[int] = mapped_column(Integer)
