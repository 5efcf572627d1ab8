using NodaTime;

namespace BackOffice.Application.Records;

/// <summary>The README written into every bundle: what is where, and how to check it without our software.</summary>
internal static class BundleReadme
{
    public static string Text(LocalDate from, LocalDate to) => $$"""
        # Books and records, {{RecordsBundle.Iso(from)}} to {{RecordsBundle.Iso(to)}}

        This folder is a records bundle exported by BackOffice (`backoffice records export`). It holds
        the books and records of the dates above as they stood when it was made, in plain files, so
        that they can be read and checked without the database that produced them.

        ## Layout

        | Path | What it holds |
        |---|---|
        | `manifest.json` | the range, the export time, the audit chain's run and head, the retention policy, and every other file with its size and SHA-256 |
        | `manifest.sha256` | the SHA-256 of `manifest.json` (check it with `sha256sum -c manifest.sha256`) |
        | `audit/records.jsonl` | the audit records, one JSON object a line, in sequence order: who did what, when, with which idempotency key and payload hash, the digest of the journal entries the command wrote, the hash of the record before and the record's own hash |
        | `journal/entries.jsonl` | every journal entry those records wrote, one a line in id order, with its postings (ledger account, asset, units and the amount they make at the asset's scale; debits positive, credits negative) and its hash |
        | `messages/trades.jsonl` | each trade version's message exactly as it came in (a CSV row, a JSON object or a FIX message, in the `message` field) |
        | `messages/exceptions.jsonl` | each message the books refused or parked in the exceptions queue, exactly as it came in |
        | `messages/inbound/...`, `messages/outbound/...` | whole files kept byte for byte: trade files, custody and cash statements, MiFIR reports sent and the regulator's feedback |
        | `messages/index.csv` | one row per whole file: direction, kind, original name, when, the audit record that took it, SHA-256 |
        | `reports/trial-balance-{{RecordsBundle.Iso(to)}}.csv` | the trial balance as of {{RecordsBundle.Iso(to)}} (general ledger, debit and credit per account and asset) |

        The audit records are a contiguous run: every record written on these dates and every record
        that wrote something dated in them, with everything between. The journal holds every entry
        those records wrote, including entries dated outside the range that a record of the run wrote.

        ## How to check it

        `backoffice records verify DIR` checks, with no database: the manifest against its seal; every
        listed file present with its size and SHA-256, and no file present that is not listed; every
        audit record's hash recomputed from its fields and linked to the record before, from the
        `previous_hash` in the manifest to its `head_hash`; every journal entry balanced per asset, its
        hash recomputed and folded into the digest of the record that wrote it. Any changed byte fails.

        A bundle rewritten whole, with new hashes throughout, passes its own checks; compare the
        manifest's `chain.head_hash` (or `database_head`) with a head recorded elsewhere at the time
        (`backoffice audit verify` prints it) to rule that out.

        The hash rules are those of the running system: docs/reference/records.md and ARCHITECTURE.md
        ("The audit trail") in the BackOffice sources describe them field by field.

        """;
}
