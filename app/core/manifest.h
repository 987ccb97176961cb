/* app/core/manifest.h: the expected-arrivals manifest: one arrival record, the CSV columns
 * (English names and Chinese aliases, see docs/manifest.md) and the validation of a row.
 * Pure: rows come from csv.h; reading files and writing the store happen elsewhere. */
#ifndef HK_CORE_MANIFEST_H
#define HK_CORE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/csv.h"
#include "app/core/types.h"

#define ARRIVAL_BATCH_MAX   48 /* buffer sizes in bytes, NUL included; values are UTF-8 */
#define ARRIVAL_NAME_MAX    128
#define ARRIVAL_DOCTYPE_MAX 24
#define ARRIVAL_DOCNUM_MAX  40
#define ARRIVAL_NATION_MAX  48
#define ARRIVAL_PHONE_MAX   32
#define ARRIVAL_GROUP_MAX   48
#define ARRIVAL_DIET_MAX    128
#define ARRIVAL_NOTES_MAX   256
#define ARRIVAL_SUBJECT_MAX 96

/* A person expected at the station, as the manifest lists them. */
struct arrival_record {
	int64_t id;                           /* store row id; 0 before it is stored */
	char batch[ARRIVAL_BATCH_MAX];        /* bus, flight or transfer batch */
	char name[ARRIVAL_NAME_MAX];          /* as on the document */
	char doc_type[ARRIVAL_DOCTYPE_MAX];   /* "id_card", "passport", ... */
	char doc_number[ARRIVAL_DOCNUM_MAX];  /* trimmed, ASCII letters upper-cased */
	char nationality[ARRIVAL_NATION_MAX]; /* free text, may be empty */
	char phone[ARRIVAL_PHONE_MAX];        /* may be empty */
	enum category category;
	int onsite_days;                  /* term "21+7": 21 */
	int home_days;                    /* term "21+7": 7; "14": 0 */
	char group_id[ARRIVAL_GROUP_MAX]; /* family or group; "" for a single person */
	bool elderly;
	bool child;
	bool pregnant;
	char dietary[ARRIVAL_DIET_MAX];       /* may be empty */
	char notes[ARRIVAL_NOTES_MAX];        /* may be empty */
	hk_day expected_day;                  /* expected arrival day */
	char subject_id[ARRIVAL_SUBJECT_MAX]; /* health-code subject; "" until set */
};

enum manifest_column {
	MANIFEST_COL_BATCH,
	MANIFEST_COL_NAME,
	MANIFEST_COL_DOC_TYPE,
	MANIFEST_COL_DOC_NUMBER,
	MANIFEST_COL_NATIONALITY,
	MANIFEST_COL_PHONE,
	MANIFEST_COL_CATEGORY,
	MANIFEST_COL_TERM,
	MANIFEST_COL_GROUP,
	MANIFEST_COL_ARRIVAL_DAY,
	MANIFEST_COL_ELDERLY,
	MANIFEST_COL_CHILD,
	MANIFEST_COL_PREGNANT,
	MANIFEST_COL_DIETARY,
	MANIFEST_COL_NOTES,
	MANIFEST_COL_COUNT
};

/* Where each column sits in the file's rows; -1 for an optional column the file lacks. */
struct manifest_columns {
	int index[MANIFEST_COL_COUNT];
	size_t n_header; /* fields in the header row */
};

/* Canonical English header name of a column ("doc_number"); never NULL. */
const char *manifest_column_name(enum manifest_column c);

/* Read the header row. Names match case-insensitively, surrounding blanks ignored, by
 * English name or Chinese alias; a "no"/"序号" column is allowed and ignored. An unknown or
 * repeated column, or a missing required one, returns -1 with an English reason in
 * reason[size]; 0 on success. */
int manifest_columns_map(const struct csv_row *header, struct manifest_columns *cols, char *reason,
                         size_t size);

/* True when every field of the row is empty or blank (spreadsheets leave such rows). */
bool manifest_row_blank(const struct csv_row *row);

/* Validate one data row into *out (id 0, subject_id ""). Returns 0, or -1 with the first
 * fault as an English reason ("category 'x' is not one of ...") in reason[size]. */
int manifest_row_parse(const struct manifest_columns *cols, const struct csv_row *row,
                       struct arrival_record *out, char *reason, size_t size);

/* "14" -> 14+0, "14+7" -> 14+7. Days on site 1..99, at home 0..99. False on anything else.
 * Lenient on purpose, unlike policy_term_parse() for the configuration: a manifest comes from
 * other offices' spreadsheets, so spaces around the term, leading zeros ("014") and "14+0"
 * are read too. */
bool manifest_term_parse(const char *s, int *onsite_days, int *home_days);

/* Canonical document type for a name or alias ("passport", "护照" -> "passport"); NULL
 * when unknown. Known: id_card, passport, hk_macao_permit, taiwan_permit, other. */
const char *manifest_doc_type_canonical(const char *s);

/* "YYYY-MM-DD", or "YYYY/M/D" as spreadsheets write dates; the date must exist. */
bool manifest_day_parse(const char *s, hk_day *out);

/* True when an 18-character mainland ID number has a valid ISO 7064 MOD 11-2 check. */
bool manifest_id_card_valid(const char *s);

#endif
