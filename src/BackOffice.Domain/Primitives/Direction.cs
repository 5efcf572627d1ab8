namespace BackOffice.Domain.Primitives;

/// <summary>The side of a posting. In every journal entry, debits equal credits per asset.</summary>
public enum Direction
{
    /// <summary>Increases an asset or expense account; stored as a positive amount.</summary>
    Debit = 1,

    /// <summary>Increases a liability, equity or income account; stored as a negative amount.</summary>
    Credit = 2,
}
