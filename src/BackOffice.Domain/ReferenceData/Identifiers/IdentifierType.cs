namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>
/// The kinds of identifier the back office validates. Instruments are named by ISIN, CUSIP or
/// SEDOL; legal entities by LEI; banks and other SWIFT participants by BIC; trading venues by MIC.
/// The CLI words for them are <c>isin</c>, <c>cusip</c>, <c>sedol</c>, <c>lei</c>, <c>bic</c> and
/// <c>mic</c> (see <see cref="IdentifierValidation.TryParseType"/>).
/// </summary>
public enum IdentifierType
{
    /// <summary>International Securities Identification Number, ISO 6166: 12 characters with a Luhn check digit.</summary>
    Isin = 1,

    /// <summary>CUSIP, the North American security number: 9 characters with a "double-add-double" check digit.</summary>
    Cusip = 2,

    /// <summary>SEDOL, the London Stock Exchange security number: 7 characters with a weighted check digit.</summary>
    Sedol = 3,

    /// <summary>Legal Entity Identifier, ISO 17442: 20 characters with ISO 7064 MOD 97-10 check digits.</summary>
    Lei = 4,

    /// <summary>Business Identifier Code (SWIFT code), ISO 9362: 8 or 11 characters, no check digit.</summary>
    Bic = 5,

    /// <summary>Market Identifier Code, ISO 10383: 4 characters, valid only if in the published registry.</summary>
    Mic = 6,
}
