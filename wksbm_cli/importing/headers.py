"""Column headers as office spreadsheets write them, mapped to wksbm's field names.

"Tanggal Lapor", "tanggal-lapor" and "TANGGAL_LAPOR" are one header; Indonesian names are
accepted beside the English ones. Some words depend on the kind of file: `jenis` is an
institution's type but an activity's kind, `nama` is a village's name but a case's person.
"""

import re

from wksbm_cli.errors import Invalid
from wksbm_cli.i18n import _

KINDS = ("villages", "institutions", "activities", "cases")

# The stored field names per kind, in export order; `village_code` is an optional companion of
# `village` (exports write both: the name to read, the code to match without ambiguity).
COLUMNS = {
    "villages": ["code", "name", "kecamatan", "kabupaten", "formed_on", "decree", "notes"],
    "institutions": ["village", "village_code", "name", "type", "leader", "members", "joined_on", "notes"],
    "activities": ["village", "village_code", "held_on", "kind", "institution", "title", "attendees", "notes"],
    "cases": [
        "ref", "village", "village_code", "category", "person_name", "nik", "gender", "birth_year",
        "reported_on", "status", "handled_by", "resolved_on", "notes",
    ],
}

# Columns a file must have (villages: a name or a code, checked separately).
REQUIRED = {
    "villages": (),
    "institutions": ("village", "name", "type"),
    "activities": ("village", "held_on", "kind"),
    "cases": ("village", "category", "person_name", "reported_on"),
}

_VILLAGE_REF = {"desa": "village", "kelurahan": "village", "desa_kelurahan": "village", "nama_desa": "village",
                "kode_desa": "village_code", "kode_wilayah": "village_code"}
_NOTES = {"catatan": "notes", "keterangan": "notes", "ket": "notes", "note": "notes"}

ALIASES = {
    "villages": {
        "kode": "code", "kode_desa": "code", "kode_wilayah": "code", "kode_kemendagri": "code",
        "village_code": "code", "nama": "name", "nama_desa": "name", "desa": "name", "kelurahan": "name",
        "village": "name", "kec": "kecamatan", "district": "kecamatan", "kab": "kabupaten",
        "kabupaten_kota": "kabupaten", "kota": "kabupaten", "regency": "kabupaten",
        "tanggal_terbentuk": "formed_on", "tanggal_pembentukan": "formed_on", "terbentuk": "formed_on",
        "tanggal_sk": "formed_on", "formed": "formed_on", "sk": "decree", "nomor_sk": "decree",
        "no_sk": "decree", "sk_kepala_desa": "decree", **_NOTES,
    },
    "institutions": {
        **_VILLAGE_REF, "nama": "name", "nama_lembaga": "name", "lembaga": "name", "institution": "name",
        "jenis": "type", "jenis_lembaga": "type", "tipe": "type", "ketua": "leader", "nama_ketua": "leader",
        "pimpinan": "leader", "anggota": "members", "jumlah_anggota": "members",
        "tanggal_bergabung": "joined_on", "bergabung": "joined_on", "tanggal_gabung": "joined_on",
        "joined": "joined_on", **_NOTES,
    },
    "activities": {
        **_VILLAGE_REF, "tanggal": "held_on", "tanggal_kegiatan": "held_on", "date": "held_on",
        "held": "held_on", "jenis": "kind", "jenis_kegiatan": "kind", "lembaga": "institution",
        "nama_lembaga": "institution", "penyelenggara": "institution", "judul": "title",
        "nama_kegiatan": "title", "kegiatan": "title", "peserta": "attendees",
        "jumlah_peserta": "attendees", "hadir": "attendees", "jumlah_hadir": "attendees", **_NOTES,
    },
    "cases": {
        **_VILLAGE_REF, "kode": "ref", "kode_kasus": "ref", "no_kasus": "ref", "nomor_kasus": "ref",
        "kategori": "category", "kategori_pmks": "category", "jenis_pmks": "category", "pmks": "category",
        "ppks": "category", "jenis": "category", "nama": "person_name", "nama_lengkap": "person_name",
        "name": "person_name", "person": "person_name", "nomor_nik": "nik", "no_nik": "nik",
        "nomor_induk_kependudukan": "nik", "jenis_kelamin": "gender", "jk": "gender", "l_p": "gender",
        "sex": "gender", "tahun_lahir": "birth_year", "tanggal_lapor": "reported_on",
        "tanggal_laporan": "reported_on", "tanggal": "reported_on", "reported": "reported_on",
        "ditangani_oleh": "handled_by", "lembaga": "handled_by", "lembaga_penanganan": "handled_by",
        "penanganan": "handled_by", "ditangani": "handled_by", "tanggal_selesai": "resolved_on",
        "selesai": "resolved_on", "resolved": "resolved_on", **_NOTES,
    },
}


# A column numbering the rows (No., Nomor, No Urut, #): a spreadsheet habit, skipped without a warning.
ROW_NUMBER_HEADERS = frozenset({"no", "nomor", "no_urut", "nomor_urut", "#"})


def header_key(text: object) -> str:
    """A header reduced to lower-case words joined by `_` ("Tanggal Lapor" -> tanggal_lapor)."""
    words = re.split(r"[\s_\-./]+", str(text or "").replace("\ufeff", "").strip().lower())
    return "_".join(word for word in words if word)


def field_for(kind: str, header: object) -> str | None:
    """The field a header means in a file of `kind`, or None if wksbm does not know it."""
    key = header_key(header)
    if key in COLUMNS[kind]:
        return key
    return ALIASES[kind].get(key)


def map_headers(kind: str, headers: list) -> tuple[list[str | None], list[str]]:
    """The field of each header (None for unknown ones) and the unknown headers' texts.

    Two headers meaning one field are an error naming both.
    """
    fields: list[str | None] = []
    seen: dict[str, str] = {}
    unknown = []
    for header in headers:
        field = field_for(kind, header)
        if field is None:
            if str(header or "").strip() and header_key(header) not in ROW_NUMBER_HEADERS:
                unknown.append(str(header).strip())
        elif field in seen:
            raise Invalid(_("columns '{first}' and '{second}' both mean {field}").format(first=seen[field], second=header, field=field),
                          field=str(header))
        else:
            seen[field] = str(header).strip()
        fields.append(field)
    return fields, unknown


def missing_columns(kind: str, fields: list[str | None]) -> list[str]:
    """The required fields no header gives."""
    present = set(fields)
    if kind == "villages" and not present & {"name", "code"}:
        return ["name (or code)"]
    if "village" in REQUIRED[kind] and "village_code" in present:
        present.add("village")
    return [field for field in REQUIRED[kind] if field not in present]
