using BackOffice.Domain.Compliance;

namespace BackOffice.Domain.Tests.Compliance;

/// <summary>
/// Name normalization: accents, scripts, case and punctuation give one plain form; articles are dropped;
/// words are classed; and the spelling key folds the transliteration variants the documentation lists.
/// </summary>
public sealed class NameNormalizerTests
{
    [Theory]
    [InlineData("KHOROSHEV, Dmitry Yuryevich", "khoroshev dmitry yuryevich")]
    [InlineData("Dmítry  Khóroshev", "dmitry khoroshev")]
    [InlineData("Nguyễn Văn Thắng", "nguyen van thang")]
    [InlineData("Øresund Strøm Æble Œuvre Łódź Straße Đorđe Þór", "oresund strom aeble oeuvre lodz strasse dorde thor")]
    [InlineData("Дмитрий Юрьевич Хорошев", "dmitrii yurevich khoroshev")]
    [InlineData("Щукин Жуков Цой Чайка Шойгу Артём Ёлкин Йошкар", "shchukin zhukov tsoi chaika shoigu artem elkin ioshkar")]
    [InlineData("Їжак Євген Ґудзь Іван", "yizhak yevgen gudz ivan")]
    [InlineData("D'S SUPERMARKET COMPANY LTD.", "ds supermarket company ltd")]
    [InlineData("O’Brien", "obrien")]
    [InlineData("SUEX OTC, S.R.O.", "suex otc sro")]
    [InlineData("ST.PETERSBURG TRADING", "st petersburg trading")]
    [InlineData("BEL-KAP-STEEL LLC", "bel kap steel llc")]
    [InlineData("AIRCRAFT, AVIONICS, PARTS & SUPPORT LTD.", "aircraft avionics parts support ltd")]
    [InlineData("P-532", "p 532")]
    [InlineData("ＦＵＬＬ ＷＩＤＴＨ ｆｉｌｅ", "full width file")]
    [InlineData("ﬁnance", "finance")]
    [InlineData("  ", "")]
    public void Plain_folds_accents_script_case_and_punctuation(string name, string plain) =>
        Assert.Equal(plain, NameNormalizer.Plain(name));

    [Fact]
    public void Articles_and_filiation_words_standing_alone_are_dropped()
    {
        Assert.Equal(["karadh", "hassan"], NameNormalizer.Words("KARADH AL-HASSAN").Select(w => w.Text));
        Assert.Equal(["usama", "laden"], NameNormalizer.Words("Usama bin Laden").Select(w => w.Text));
        Assert.Equal(["hassan"], NameNormalizer.Words("El Hassan").Select(w => w.Text));
        Assert.Equal("al hassan", NameNormalizer.Plain("AL-HASSAN"));
    }

    [Fact]
    public void A_joined_article_gives_the_word_an_alternate_key_when_five_letters_remain()
    {
        NameWord joined = Assert.Single(NameNormalizer.Words("ALHASSAN"));
        Assert.Equal(("alhasan", "hasan"), (joined.Key, joined.AlternateKey));
        Assert.Null(Assert.Single(NameNormalizer.Words("ALBERT")).AlternateKey);
        Assert.Equal("mansur", Assert.Single(NameNormalizer.Words("ELMANSOUR")).AlternateKey);
    }

    [Fact]
    public void Words_are_classed_as_distinctive_generic_or_filler()
    {
        IReadOnlyList<NameWord> words = NameNormalizer.Words("TNK TRADING INTERNATIONAL S.A. of Sheikh Jr");
        Assert.Equal(
            [("tnk", NameWordClass.Distinctive), ("trading", NameWordClass.Generic), ("international", NameWordClass.Generic),
             ("sa", NameWordClass.Filler), ("of", NameWordClass.Filler), ("sheikh", NameWordClass.Filler), ("jr", NameWordClass.Filler)],
            words.Select(w => (w.Text, w.Class)));
        Assert.True(NameNormalizer.Words("D")[0].IsInitial);
        Assert.False(NameNormalizer.Words("7")[0].IsInitial);
        Assert.True(NameNormalizer.Words("532")[0].HasDigit);
    }

    [Theory]
    [InlineData("dmitry", "dmitriy", "dmitrii", "dmitri")]
    [InlineData("khoroshev", "horoshev", "khoroshev", "khoroshev")]
    [InlineData("yuryevich", "yurievich", "iurievich", "yuryevich")]
    [InlineData("mohammed", "muhammad", "mohamed", "mohd")]
    [InlineData("yusuf", "youssef", "yousef", "jusuf")]
    [InlineData("hussein", "husayn", "hossein", "husain")]
    [InlineData("qaddafi", "kadhafi", "kaddafi", "qadhafi")]
    [InlineData("artyom", "artem", "artëm", "artem")]
    [InlineData("fyodor", "fedor", "fedor", "fyodor")]
    [InlineData("yevgeny", "evgeny", "evgeniy", "yevgeniy")]
    [InlineData("lifshitz", "lifshits", "lifschits", "lifshits")]
    [InlineData("shchukin", "schukin", "shukin", "shchukin")]
    [InlineData("wladimir", "vladimir", "vladimir", "wladimir")]
    [InlineData("alexander", "aleksandr", "aleksander", "alexandr")]
    [InlineData("hassan", "hasan", "hassan", "hasan")]
    [InlineData("abdullah", "abdulla", "abdoullah", "abdulah")]
    [InlineData("philip", "filip", "phillip", "filipp")]
    [InlineData("jakov", "yakov", "iakov", "jakov")]
    [InlineData("djamal", "jamal", "dzhamal", "djamal")]
    [InlineData("mustafa", "mostafa", "moustapha", "mustapha")]
    [InlineData("sergey", "sergei", "sergey", "sergei")]
    public void Transliteration_variants_share_one_key(string first, string second, string third, string fourth)
    {
        string key = NameNormalizer.Fold(NameNormalizer.Plain(first));
        Assert.All(new[] { second, third, fourth }, variant => Assert.Equal(key, NameNormalizer.Fold(NameNormalizer.Plain(variant))));
    }

    [Theory]
    [InlineData("khoroshev", "khoroshkin")]
    [InlineData("moreno", "romero")]
    [InlineData("peter", "pyotr")]
    [InlineData("daniel", "danielle")]
    [InlineData("p532", "p533")]
    public void Different_names_keep_different_keys(string first, string second) =>
        Assert.NotEqual(NameNormalizer.Fold(first), NameNormalizer.Fold(second));

    [Fact]
    public void A_name_longer_than_the_limit_is_cut_there()
    {
        string name = string.Concat(Enumerable.Repeat("abcdefg ", 400));
        Assert.Equal(NameNormalizer.NameLengthMax / 8, NameNormalizer.Words(name).Count);
    }
}
