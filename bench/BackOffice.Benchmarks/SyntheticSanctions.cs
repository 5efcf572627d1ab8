using System.Globalization;
using System.Text;
using BackOffice.Domain.Compliance;
using NodaTime;

namespace BackOffice.Benchmarks;

/// <summary>Where a generated name's words come from. The list is drawn mostly from the first six, our clients mostly from Western names.</summary>
internal enum NameOrigin
{
    Arabic,
    Russian,
    Persian,
    Spanish,
    Chinese,
    Korean,
    Turkish,
    Western,
    Indian,
    Japanese,

    /// <summary>A client that is a company (our clients only).</summary>
    Company,
}

/// <summary>A list name planted among our names, changed: where it is, the entry it must hit, the list name it was made from and how.</summary>
internal sealed record PlantedName(int Position, long Uid, string ListName, string Variant, string Name);

/// <summary>The names to screen, the origin of each (for the false-positive rate by origin), and the planted variants by position.</summary>
internal sealed record ScreeningNames(ScreeningSubject[] Subjects, NameOrigin[] Origins, Dictionary<int, PlantedName> Planted);

/// <summary>
/// A sanctions list of the SDN list's size, and names of clients to screen against it, generated from
/// fixed name fragments with a fixed seed: the same list and the same names on every run. The full SDN
/// list is not shipped with the project, so the list is made to look like it: about 18,000 entries
/// (individuals written "SURNAME, Given Middle", many of Arabic, Russian and Persian origin in their
/// usual Latin transliterations, and Latin American, Chinese and Korean names; entities of several words
/// with business words and legal forms; vessels; aircraft marks) and 20,000 strong aliases (spelling
/// variants, shortened names, former names), with some weak aliases in the remarks. About half of the
/// individuals' surnames and most entity words are made up from syllables, so the list has many
/// distinct words, as the real one has; the other half are common real surnames, which our clients
/// share.
/// </summary>
internal static class SyntheticSanctions
{
    public const int Seed = 20261130;

    public const int EntryCount = 18_000, StrongAliasCount = 20_000;

    private const int IndividualCount = 8_200, VesselCount = 1_200, AircraftCount = 300;

    /// <summary>One name in this many is a planted variant of a list name (0.1%).</summary>
    public const int PlantedEvery = 1_000;

    public static readonly LocalDate PublishedOn = new(2026, 11, 27);

    private static string[] Split(string words) => words.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    // Given names and surnames by origin, in their common Latin transliterations. Spelling variants of one
    // name (Muhammad, Mohammed, Mohamed) are listed as they occur, so that they are frequent as on the list.
    private static readonly string[] ArabicMale = Split(
        "Muhammad Mohammed Mohamed Ahmad Ahmed Ali Hassan Hussein Omar Khalid Abdullah Ibrahim Yusuf Mahmoud Mustafa " +
        "Said Hamza Bilal Tariq Walid Nasser Faisal Jamal Karim Majid Rashid Salim Samir Adel Fadi Ziad Imad Hisham Anwar " +
        "Osama Yahya Ismail Sulayman Qasim Jafar Hamid Mansur Nabil Riyad Sami Talal Zakariya Marwan Ayman Fawzi Ghassan " +
        "Haytham Jihad Muhannad Nizar Raed Wael Yasir Abd_al-Rahman Abd_al-Aziz Abd_al-Karim Abd_al-Latif Abu_Bakr Salah Husam");

    private static readonly string[] ArabicFemale = Split("Fatima Aisha Maryam Zaynab Khadija Amina Huda Layla Nour Rania Samira Hanan");

    private static readonly string[] ArabicSurnames = Split(
        "Hassan Hussein Ahmad Ali Abdullah Ibrahim Khalil Mansour Haddad Nasser Saleh Qasim Shami Masri Baghdadi Tikriti " +
        "Qahtani Otaibi Shammari Dosari Harbi Ghamdi Zahrani Anzi Mutairi Ajmi Kuwari Marri Naimi Hashimi Tamimi Jaburi " +
        "Dulaymi Obeidi Rawi Hadithi Issawi Sudani Yemeni Awlaki Rimi Banna Sharif Jaber Darwish Fayad Hamdan Kabbani " +
        "Nasrallah Safadi Zein Makki Tahir Hakim Khatib Najjar Sabbagh Bakri Farouk Hamadi Jabri Karimi Sayegh");

    private static readonly string[] RussianMale = Split(
        "Aleksandr Aleksey Andrey Anatoly Boris Vadim Valery Vasily Viktor Vladimir Vladislav Vyacheslav Gennady Georgy " +
        "Grigory Denis Dmitry Yevgeny Igor Ilya Ivan Kirill Konstantin Leonid Maksim Mikhail Nikolay Oleg Pavel Pyotr Roman " +
        "Ruslan Sergey Stanislav Timur Fyodor Yury Yaroslav Arkady Artyom Eduard Gleb Lev Matvey Nikita Semyon Stepan Taras Zakhar");

    private static readonly string[] RussianFemale = Split("Anna Yelena Irina Natalya Olga Svetlana Tatyana Yekaterina Marina Yuliya Lyudmila Galina");

    private static readonly string[] Patronymics = Split(
        "Aleksandrovich Alekseyevich Andreyevich Borisovich Vadimovich Valeryevich Vasilyevich Viktorovich Vladimirovich " +
        "Gennadyevich Georgiyevich Grigoryevich Dmitriyevich Yevgenyevich Igorevich Ivanovich Konstantinovich Leonidovich " +
        "Mikhailovich Nikolayevich Olegovich Pavlovich Petrovich Romanovich Sergeyevich Stanislavovich Fyodorovich Yuryevich " +
        "Anatolyevich Arkadyevich Eduardovich Semyonovich Stepanovich Timurovich Yaroslavovich");

    private static readonly string[] RussianSurnames = Split(
        "Ivanov Smirnov Kuznetsov Popov Vasilyev Petrov Sokolov Mikhailov Novikov Fyodorov Morozov Volkov Alekseyev Lebedev " +
        "Semyonov Yegorov Pavlov Kozlov Stepanov Nikolayev Orlov Andreyev Makarov Nikitin Zakharov Zaitsev Solovyov Borisov " +
        "Yakovlev Grigoryev Romanov Vorobyov Sergeyev Kuzmin Frolov Aleksandrov Dmitriyev Korolyov Gusev Kiselyov Ilyin " +
        "Maksimov Polyakov Sorokin Vinogradov Kovalyov Belov Medvedev Antonov Tarasov Zhukov Baranov Filippov Komarov " +
        "Davydov Belyayev Gerasimov Bogdanov Osipov Sidorov Matveyev Titov Markov Mironov Krylov Kulikov Karpov Vlasov " +
        "Melnikov Denisov Gavrilov Tikhonov Kazakov Afanasyev Danilov Chernov Abramov Martynov Shcherbakov Nazarov Kalinin " +
        "Chernyshev Bykov Maslov Rodionov Konovalov Lazarev Voronin Klimov Filatov Golubev Kudryavtsev Prokhorov Naumov " +
        "Potapov Zhuravlyov Ovchinnikov Trofimov Leonov Sobolev Yermakov Kolesnikov Goncharov Yemelyanov Kotov Grishin " +
        "Arkhipov Gromov Kirillov Malyshev Panov Moiseyev Rumyantsev Akimov Kondratyev Biryukov Gorbunov Tikhomirov " +
        "Kovalenko Shevchenko Bondarenko Tkachenko Kravchenko Oliynyk Shevchuk Polishchuk Lysenko Marchenko Rudenko " +
        "Savchenko Moroz Melnyk Boyko Khoroshev Deripaska Vekselberg Rotenberg Timchenko");

    private static readonly string[] PersianGiven = Split(
        "Ali Reza Mohammad Hossein Mahdi Mehdi Hamid Saeed Majid Javad Mojtaba Mostafa Amir Hassan Abbas Morteza Qasem " +
        "Esmail Gholamreza Alireza Behrouz Dariush Farhad Kamran Parviz Hamidreza Mohsen Masoud Nasser Rahim Yousef");

    private static readonly string[] PersianSurnames = Split(
        "Hosseini Mousavi Rezaei Mohammadi Ahmadi Karimi Jafari Rahimi Hashemi Sadeghi Ghorbani Kazemi Rostami Tehrani " +
        "Shirazi Esfahani Tabrizi Rafsanjani Soleimani Zarif Larijani Velayati Azizi Ebrahimi Nouri Akbari Bagheri Amini " +
        "Heidari Salehi Moradi Naderi Shariati Asadi");

    private static readonly string[] SpanishGiven = Split(
        "Jose Juan Luis Carlos Jesus Miguel Francisco Javier Alejandro Rafael Fernando Jorge Ricardo Manuel Eduardo Ramon " +
        "Pedro Sergio Armando Joaquin Ismael Ovidio Rodolfo Heriberto Gilberto Arturo Maria Ana Guadalupe Rosa Alberto Hector " +
        "Mario Raul Oscar Enrique Gustavo Julio Ernesto Ignacio");

    private static readonly string[] SpanishSurnames = Split(
        "Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores Rivera Gomez Diaz Reyes " +
        "Morales Cruz Ortiz Gutierrez Chavez Ramos Ruiz Mendoza Castillo Jimenez Moreno Romero Alvarez Vargas Guzman Zambada " +
        "Caro Quintero Carrillo Fuentes Arellano Felix Beltran Leyva Cardenas Guillen Salazar Escobar Ochoa Orejuela Rincon " +
        "Valencia Cifuentes Villa Sierra Palacios Aguilar Medina Herrera Castro Navarro Dominguez Silva Rojas Soto Contreras");

    private static readonly string[] ChineseSyllables = Split(
        "Wei Jun Ming Hua Jian Hong Ping Qiang Yong Jie Tao Lei Bo Gang Hui Xiao Zhi Guo Hai Dong Feng Lin Yu Xin Chun Yan " +
        "Qing Zhen Kai Long Bin Chao Hao Peng Rui Shan Tian Wen Xiang Yi An Bao Cheng Da Fang Fei Gui Heng Jia Jing Kang " +
        "Kun Le Liang Mei Min Nan Ning Qi Qiu Ran Rong Sheng Shu Song Ting Wan Xia Xu Ya Ye Ying Yuan Yun Ze Zhong Zi " +
        "Chang Dan Fu Hu Jin Lan Li Lu Mao Pei Shi Tong Xue Zhao");

    private static readonly string[] ChineseSurnames = Split(
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng Liang Xie Song Tang Han " +
        "Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du");

    private static readonly string[] KoreanSyllables = Split(
        "Chol Song Il Yong Hyok Nam Kwang Myong Jong Hak Un Sok Ho Jin Su Hyon Chun Gil Ryong Man Chang Dok Gyong Hui " +
        "Hwa Hyang Kil Kum Kyong Mun Ok Pok Pong Rim Sam Sang Sun Tae Thaek Ung Won Yon Yu Bong Chan Dong Gun Hun Sik");

    private static readonly string[] KoreanSurnames = Split("Kim Ri Pak Choe Jong Kang Jo Yun Jang Han O So Sin Kwon Hwang");

    private static readonly string[] TurkishGiven = Split(
        "Mehmet Mustafa Ahmet Ali Huseyin Hasan Ibrahim Ismail Osman Yusuf Murat Omer Ramazan Halil Suleyman Abdullah " +
        "Mahmut Recep Kemal Emre Burak Fatma Ayse Emine Hatice Zeynep");

    private static readonly string[] TurkishSurnames = Split(
        "Yilmaz Kaya Demir Sahin Celik Yildiz Yildirim Ozturk Aydin Ozdemir Arslan Dogan Kilic Aslan Cetin Kara Koc Kurt " +
        "Ozkan Simsek Polat Erdogan Korkmaz Aksoy");

    private static readonly string[] WesternGiven = Split(
        "James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark " +
        "Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary " +
        "Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond " +
        "Jack Dennis Jerry Tyler Aaron Henry Peter Adam Nathan Oliver Harry Lucas Hans Klaus Jurgen Stefan Wolfgang Markus " +
        "Tobias Florian Pierre Jean Philippe Nicolas Olivier Laurent Francois Antoine Marco Luca Giovanni Alessandro Matteo " +
        "Lorenzo Pieter Jan Willem Lars Erik Anders Magnus Piotr Tomasz Krzysztof Mary Patricia Jennifer Linda Elizabeth " +
        "Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra Ashley Emily Donna Michelle Carol Amanda Melissa " +
        "Deborah Stephanie Rebecca Laura Sharon Cynthia Kathleen Amy Angela Helen Anna Emma Olivia Sophie Claire Julia " +
        "Sabine Ingrid Monique Chiara Francesca Giulia Eva Karin Agnieszka Katarzyna");

    private static readonly string[] WesternSurnames = Split(
        "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin Lee Thompson " +
        "White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter " +
        "Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan " +
        "Peterson Cooper Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray James Hughes " +
        "Price Sanders Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan Fisher Henderson Coleman Simmons " +
        "Patterson Jordan Reynolds Hamilton Graham Wallace Cole West Stone Hayes Gibson Ellis Murray Ford Marshall Owens " +
        "Harrison Wells Webb Palmer Hunt Black Holmes Mason Rice Hudson Dunn Hart Lane Fox Barnes Porter Knight Spencer " +
        "Lawrence Warren Burke Fleming Shaw Hawkins Riley Carpenter Lambert Dixon Lynch Walsh O'Brien O'Connor Byrne Doyle " +
        "McCarthy Muller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf " +
        "Schroder Neumann Schwarz Zimmermann Braun Kruger Hartmann Lange Werner Krause Lehmann Kohler Bernard Dubois " +
        "Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel Bertrand Roux Vincent Fournier Morel Girard Andre Mercier " +
        "Dupont Bonnet Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti Costa " +
        "Giordano Mancini Rizzo Lombardi Moretti de_Jong Jansen de_Vries van_Dijk Bakker Visser Smit Meijer Mulder Bos " +
        "Hansen Johansen Olsen Larsen Andersen Nielsen Pedersen Johansson Karlsson Nilsson Eriksson Lindberg Nowak " +
        "Kowalski Wisniewski Wojcik Kowalczyk Kaminski Lewandowski Zielinski");

    private static readonly string[] IndianGiven = Split(
        "Amit Rahul Raj Sanjay Vijay Anil Sunil Ravi Arun Suresh Ramesh Rajesh Deepak Manoj Ashok Prakash Vikram Arjun " +
        "Rohan Karan Priya Anjali Pooja Neha Sunita Kavita Deepa Lakshmi Meera Asha");

    private static readonly string[] IndianSurnames = Split(
        "Sharma Patel Singh Kumar Gupta Shah Mehta Reddy Rao Nair Iyer Joshi Desai Verma Agarwal Chopra Kapoor Malhotra " +
        "Bhatia Banerjee Chatterjee Mukherjee Das Bose Pillai Menon Naidu Jain Sethi Kulkarni");

    private static readonly string[] JapaneseGiven = Split("Hiroshi Takeshi Kenji Yuki Haruto Satoshi Makoto Akira Kazuki Daiki Yui Aoi Sakura Yoko Keiko Naoko");

    private static readonly string[] JapaneseSurnames = Split(
        "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki Yamaguchi " +
        "Matsumoto Inoue Kimura Hayashi Shimizu Mori");

    // Words of company and vessel names.
    private static readonly string[] EnglishWords = Split(
        "Golden Star Crescent Ocean Pacific Royal Eastern Western Northern Southern Sun Sky Silver Pearl Falcon Eagle " +
        "Horizon Unity Victory Pioneer Atlas Delta Alpha Omega Orient Phoenix Summit Zenith Prime Apex Titan Diamond " +
        "Emerald Sapphire Crystal Lotus Jasmine Cedar Palm Gulf Caspian Arabian Baltic Silk Bridge Future Hope Peace " +
        "Light Fortune Grand Great United Modern Smart Green Blue Ruby Coral Harbor Anchor Compass Beacon");

    private static readonly string[] ClientCompanyWords = Split(
        "Northwind Bluewater Alpine Summit Meridian Granite Harbor Oak Cedar Maple Silver Golden Crescent Pacific Atlantic " +
        "Horizon Pinnacle Sterling Beacon Keystone Riverside Lakeside Highland Evergreen Redwood Ironwood Bluebird " +
        "Westbrook Eastgate Fairview Greenfield Brightstone Clearwater Stonebridge Oakridge Willow Aspen Birch Falcon " +
        "Eagle Heron Osprey Lighthouse Anchor Compass Lantern Cornerstone Landmark Crown Regent Windsor Kensington " +
        "Chelsea Hudson Thames Rhine Danube Alder Juniper Magnolia Sequoia Cobalt Copper Quartz Onyx Orchid Saffron");

    private static readonly string[] ClientCompanyGenerics = Split(
        "Capital Investments Holdings Partners Trading Management Group Services Technologies Consulting Properties " +
        "Ventures Advisors Logistics Industries Solutions Systems Foods Retail Media Health Energy Finance");

    private static readonly string[] ClientLegalForms = Split("Ltd Limited LLC Inc GmbH AG SA BV Plc LLP SARL SRL AB Oy");

    private static readonly string[] Generics = Split(
        "TRADING GENERAL_TRADING INTERNATIONAL GROUP HOLDING INDUSTRIES SHIPPING SERVICES INVESTMENT DEVELOPMENT " +
        "FOUNDATION EXCHANGE PETROLEUM MARINE LOGISTICS CONSTRUCTION ENGINEERING TECHNOLOGY MANUFACTURING FINANCE " +
        "CAPITAL RESOURCES ENERGY OIL_AND_GAS IMPORT_EXPORT ELECTRONICS CHEMICAL");

    private static readonly string[] LegalForms = Split(
        "LLC LIMITED CO._LTD. COMPANY CORPORATION FZE FZCO JSC PJSC OOO AO S.A. S.A._DE_C.V. LTDA GMBH PTE._LTD. SDN._BHD. INC.");

    private static readonly string[] ChineseCities = Split(
        "SHENZHEN SHANGHAI GUANGZHOU BEIJING TIANJIN DALIAN NINGBO XIAMEN ZHUHAI QINGDAO WUHAN CHENGDU DONGGUAN FOSHAN HANGZHOU");

    private static readonly string[] AircraftPrefixes = Split("EP UR YK RA 4L ST YI 5A EX UN YA EK 9S");

    /// <summary>Spelling variants the list gives as aliases, both ways: the same name transliterated otherwise.</summary>
    private static readonly Dictionary<string, string[]> Transliterations = BuildTransliterations(
        "muhammad mohammed mohamed mohammad muhammed", "ahmad ahmed", "hassan hasan", "hussein husain hussain hossein husayn",
        "yusuf yousef youssef yousif", "omar umar", "abdullah abdallah abdulla", "khalid khaled", "mahmoud mahmud mahmood",
        "mustafa mostafa moustafa", "osama usama", "ibrahim ebrahim", "said saeed sayed", "qasim qasem kassem",
        "sulayman suleiman sulaiman", "jafar jaafar", "mansur mansour", "nasser nasir naser", "rashid rasheed",
        "salim saleem", "yasir yaser yasser", "zakariya zakaria", "haytham haitham", "dmitry dmitriy dmitri",
        "yevgeny evgeniy evgeny", "aleksandr alexander alexandr", "sergey sergei", "nikolay nikolai", "yury yuri yuriy iurii",
        "andrey andrei", "aleksey alexey alexei", "vasily vasiliy vasili", "anatoly anatoliy", "georgy georgiy georgi",
        "gennady gennadiy", "valery valeriy valeri", "pyotr petr", "fyodor fedor", "artyom artem", "semyon semen",
        "maksim maxim", "yelena elena", "natalya natalia", "tatyana tatiana", "yuliya yulia julia", "hosseini husseini hoseini",
        "mousavi musavi", "rezaei rezai", "qahtani kahtani", "mehdi mahdi", "reza riza");

    private static Dictionary<string, string[]> BuildTransliterations(params string[] groups)
    {
        var map = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (string group in groups)
        {
            string[] names = Split(group);
            foreach (string name in names)
            {
                map[name] = [.. names.Where(n => n != name)];
            }
        }
        return map;
    }

    /// <summary>The synthetic list: <see cref="EntryCount"/> entries and <see cref="StrongAliasCount"/> strong aliases.</summary>
    public static SanctionsList List()
    {
        var random = new Random(Seed);
        var drafts = new List<Draft>(EntryCount);
        long uid = 10_000;
        for (int i = 0; i < EntryCount; i++)
        {
            uid += random.Next(1, 4);
            SanctionsEntryType type = i < IndividualCount ? SanctionsEntryType.Individual
                : i < IndividualCount + VesselCount ? SanctionsEntryType.Vessel
                : i < IndividualCount + VesselCount + AircraftCount ? SanctionsEntryType.Aircraft
                : SanctionsEntryType.Entity;
            drafts.Add(type switch
            {
                SanctionsEntryType.Individual => Person(random, uid),
                SanctionsEntryType.Vessel => new Draft(uid, type, NameOrigin.Western, Vessel(random), "IRAN] [SDGT"),
                SanctionsEntryType.Aircraft => new Draft(uid, type, NameOrigin.Western, Aircraft(random), "IRAN] [RUSSIA-EO14024"),
                _ => Entity(random, uid),
            });
        }
        // The strong aliases, spread over entries as on the SDN list: individuals have the most (spellings),
        // entities fewer (short and former names), vessels their former names, aircraft almost none.
        int[] individuals = [.. Enumerable.Range(0, drafts.Count).Where(d => drafts[d].Type == SanctionsEntryType.Individual)];
        int[] entities = [.. Enumerable.Range(0, drafts.Count).Where(d => drafts[d].Type == SanctionsEntryType.Entity)];
        int[] vessels = [.. Enumerable.Range(0, drafts.Count).Where(d => drafts[d].Type == SanctionsEntryType.Vessel)];
        int[] aircraft = [.. Enumerable.Range(0, drafts.Count).Where(d => drafts[d].Type == SanctionsEntryType.Aircraft)];
        long aliasId = 1_000;
        for (int a = 0; a < StrongAliasCount; a++)
        {
            int share = random.Next(20_000);
            int[] pool = share < 11_480 ? individuals : share < 19_370 ? entities : share < 19_970 ? vessels : aircraft;
            Draft draft = drafts[pool[random.Next(pool.Length)]];
            string alias = Alias(random, draft);
            AliasType aliasType = draft.Type is SanctionsEntryType.Vessel || random.Next(10) < 2 && draft.Type == SanctionsEntryType.Entity
                ? AliasType.FormerlyKnownAs
                : random.Next(50) == 0 ? AliasType.NowKnownAs : AliasType.AlsoKnownAs;
            aliasId += random.Next(1, 3);
            draft.Aliases.Add(new SanctionsAlias(aliasId, aliasType, alias, AliasStrength.Strong, null));
        }
        foreach (Draft draft in drafts)
        {
            // Weak aliases: a kunya for some Arabic names, a nickname for some Latin American ones, an acronym for some companies.
            string? weak = draft.Type switch
            {
                SanctionsEntryType.Individual when draft.Origin == NameOrigin.Arabic && random.Next(4) == 0 =>
                    "ABU " + Pick(random, ArabicMale).Replace('_', ' ').ToUpperInvariant(),
                SanctionsEntryType.Individual when draft.Origin == NameOrigin.Spanish && random.Next(5) == 0 =>
                    "EL " + Root(random, NameOrigin.Spanish).ToUpperInvariant(),
                SanctionsEntryType.Entity when random.Next(10) == 0 => Acronym(draft.Name),
                _ => null,
            };
            if (weak is not null)
            {
                draft.Aliases.Add(new SanctionsAlias(null, AliasType.AlsoKnownAs, weak, AliasStrength.Weak, null));
            }
        }
        return SanctionsList.Create("synthetic-" + Seed.ToString(CultureInfo.InvariantCulture), PublishedOn, drafts.Select(d => d.ToEntry())).Value;
    }

    /// <summary>
    /// <paramref name="count"/> names to screen: one in <see cref="PlantedEvery"/> (at a random place in each
    /// block of that many) a list name changed in one way, which must hit its entry; the rest ordinary names
    /// of clients, 85% people and 15% companies, of the origins a broker's clients have.
    /// </summary>
    public static ScreeningNames Names(SanctionsList list, int count)
    {
        var random = new Random(Seed + 1);
        var subjects = new ScreeningSubject[count];
        var origins = new NameOrigin[count];
        var planted = new Dictionary<int, PlantedName>();
        SanctionsEntry[] entries = [.. list.Entries];
        string[] variants = ["word order swapped", "a letter changed", "diacritics added"];
        int plantedCount = Math.Max(1, count / PlantedEvery);
        for (int block = 0; block < plantedCount; block++)
        {
            int position = block * PlantedEvery + random.Next(Math.Min(PlantedEvery, count));
            SanctionsEntry entry = entries[random.Next(entries.Length)];
            string[] strong = [entry.Name, .. entry.Aliases.Where(a => a.Strength == AliasStrength.Strong).Select(a => a.Name)];
            string listName = strong[random.Next(strong.Length)];
            int wanted = planted.Count % variants.Length;
            (string name, string variant) = Variant(random, listName, entry.Type, variants[wanted]);
            planted[position] = new PlantedName(position, entry.Uid, listName, variant, name);
        }
        for (int i = 0; i < count; i++)
        {
            string reference = "C-" + i.ToString("D7", CultureInfo.InvariantCulture);
            if (planted.TryGetValue(i, out PlantedName? plant))
            {
                subjects[i] = new ScreeningSubject(reference, plant.Name, null);
                continue;
            }
            (string name, NameOrigin origin) = Client(random);
            subjects[i] = new ScreeningSubject(reference, name, null);
            origins[i] = origin;
        }
        return new ScreeningNames(subjects, origins, planted);
    }

    private sealed record Draft(long Uid, SanctionsEntryType Type, NameOrigin Origin, string Name, string Programs)
    {
        public List<SanctionsAlias> Aliases { get; } = [];

        /// <summary>The person's words, for spelling-variant aliases: surname words, given names.</summary>
        public string[]? Surname { get; init; }

        public string[]? Given { get; init; }

        public SanctionsEntry ToEntry() => new(Uid, Name, Type, Programs.Split("] [", StringSplitOptions.None), null, null, null, Aliases, []);
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    private static NameOrigin ListOrigin(Random random) => random.Next(100) switch
    {
        < 34 => NameOrigin.Arabic,
        < 56 => NameOrigin.Russian,
        < 64 => NameOrigin.Persian,
        < 80 => NameOrigin.Spanish,
        < 87 => NameOrigin.Chinese,
        < 91 => NameOrigin.Korean,
        < 94 => NameOrigin.Turkish,
        _ => NameOrigin.Western,
    };

    private static string Programs(NameOrigin origin) => origin switch
    {
        NameOrigin.Arabic => "SDGT",
        NameOrigin.Russian => "RUSSIA-EO14024",
        NameOrigin.Persian => "IRAN] [IFSR",
        NameOrigin.Spanish => "SDNTK",
        NameOrigin.Chinese => "NPWMD] [IFSR",
        NameOrigin.Korean => "DPRK3",
        NameOrigin.Turkish => "SDGT] [IRGC",
        _ => "CYBER2",
    };

    private static Draft Person(Random random, long uid)
    {
        NameOrigin origin = ListOrigin(random);
        (string[] surname, string[] given) = PersonWords(random, origin, MadeUpOnList);
        return new Draft(uid, SanctionsEntryType.Individual, origin, ListForm(surname, given), Programs(origin)) { Surname = surname, Given = given };
    }

    /// <summary>OFAC's form: the surname in capitals, a comma, the given names ("AL-QAHTANI, Muhammad Yusuf").</summary>
    private static string ListForm(string[] surname, string[] given) =>
        string.Join(' ', surname).ToUpperInvariant() + ", " + string.Join(' ', given);

    /// <summary>Share of the list's individuals, in percent, whose surname is made up rather than one of the common ones.</summary>
    private const int MadeUpOnList = 50;

    /// <summary>
    /// A person's surname words and given names. <paramref name="madeUpPercent"/> of the surnames (where the origin
    /// has a generator) are made up from syllables, standing for the long tail of rarer real surnames; the rest
    /// are drawn from the common ones.
    /// </summary>
    private static (string[] Surname, string[] Given) PersonWords(Random random, NameOrigin origin, int madeUpPercent)
    {
        bool female = random.Next(10) == 0;
        bool madeUp = random.Next(100) < madeUpPercent;
        switch (origin)
        {
            case NameOrigin.Arabic:
                {
                    string surname = madeUp ? Root(random, origin) : Pick(random, ArabicSurnames);
                    if (random.Next(2) == 0)
                    {
                        surname = "al-" + surname;
                    }
                    var given = new List<string> { female ? Pick(random, ArabicFemale) : Pick(random, ArabicMale), Pick(random, ArabicMale) };
                    if (random.Next(5) < 2)
                    {
                        given.Add(Pick(random, ArabicMale));
                    }
                    return ([Unscore(surname)], [.. given.Select(Unscore)]);
                }
            case NameOrigin.Russian:
                {
                    string surname = madeUp ? Root(random, origin) : Pick(random, RussianSurnames);
                    if (female)
                    {
                        surname = surname.EndsWith("sky", StringComparison.Ordinal) ? surname[..^1] + "aya"
                            : surname.EndsWith("ov", StringComparison.Ordinal) || surname.EndsWith("ev", StringComparison.Ordinal) || surname.EndsWith("in", StringComparison.Ordinal) ? surname + "a"
                            : surname;
                    }
                    string patronymic = Pick(random, Patronymics);
                    return ([surname], [female ? Pick(random, RussianFemale) : Pick(random, RussianMale), female ? patronymic[..^3] + "na" : patronymic]);
                }
            case NameOrigin.Persian:
                {
                    string surname = madeUp ? Root(random, origin) : Pick(random, PersianSurnames);
                    return random.Next(3) == 0 ? ([surname], [Pick(random, PersianGiven), Pick(random, PersianGiven)]) : ([surname], [Pick(random, PersianGiven)]);
                }
            case NameOrigin.Spanish:
                {
                    string first = madeUp ? Root(random, origin) : Pick(random, SpanishSurnames);
                    string[] surname = random.Next(3) == 0 ? [first] : [first, Pick(random, SpanishSurnames)];
                    return random.Next(2) == 0 ? (surname, [Pick(random, SpanishGiven)]) : (surname, [Pick(random, SpanishGiven), Pick(random, SpanishGiven)]);
                }
            case NameOrigin.Chinese:
                {
                    string given = random.Next(3) == 0 ? Pick(random, ChineseSyllables) : Pick(random, ChineseSyllables) + Pick(random, ChineseSyllables).ToLowerInvariant();
                    return ([Pick(random, ChineseSurnames)], [given]);
                }
            case NameOrigin.Korean:
                return ([Pick(random, KoreanSurnames)], [Pick(random, KoreanSyllables), Pick(random, KoreanSyllables)]);
            case NameOrigin.Turkish:
                return ([madeUp ? Root(random, NameOrigin.Turkish) : Pick(random, TurkishSurnames)], [Pick(random, TurkishGiven)]);
            case NameOrigin.Indian:
                return ([Pick(random, IndianSurnames)], [Pick(random, IndianGiven)]);
            case NameOrigin.Japanese:
                return ([Pick(random, JapaneseSurnames)], [Pick(random, JapaneseGiven)]);
            default:
                {
                    string surname = madeUp ? Root(random, NameOrigin.Western) : Unscore(Pick(random, WesternSurnames));
                    return random.Next(2) == 0 ? ([surname], [Pick(random, WesternGiven)]) : ([surname], [Pick(random, WesternGiven), Pick(random, WesternGiven)]);
                }
        }
    }

    private static string Unscore(string fragment) => fragment.Replace('_', ' ');

    /// <summary>
    /// A made-up word in the sound of <paramref name="origin"/>: "Kharimi", "Bravnikov", "Tavanpour",
    /// "Morandez". Many distinct words, as a real list has.
    /// </summary>
    private static string Root(Random random, NameOrigin origin)
    {
        string word = origin switch
        {
            NameOrigin.Arabic => Pick(random, ["", "", "m", "t"]) + Pick(random, ArabicConsonants) + Pick(random, ["a", "u", "i"]) + Pick(random, ArabicConsonants)
                + Pick(random, ["a", "i", "ay", "aa", "ou"]) + Pick(random, ArabicConsonants) + Pick(random, ["i", "i", "", "a", "ani", "awi"]),
            NameOrigin.Russian => Syllable(random, RussianOnsets, ["a", "o", "e", "i", "u", "ya", "yu"], ["", "", "n", "l", "r", "v", "sh", "k"])
                + Syllable(random, RussianOnsets, ["a", "o", "e", "i"], ["", "", "n", "l", "r"]) + Pick(random, ["ov", "ev", "in", "enko", "sky", "nikov", "chuk", "yan", "ets"]),
            NameOrigin.Persian => Syllable(random, ["b", "d", "f", "gh", "j", "k", "kh", "m", "n", "p", "r", "s", "sh", "t", "v", "z"], ["a", "e", "o", "ou", "i"], ["", "r", "n", "m", "z", "h"])
                + Syllable(random, ["b", "d", "k", "m", "n", "r", "s", "t", "v"], ["a", "e", "i"], ["", "n", "r"]) + Pick(random, ["i", "ian", "zadeh", "pour", "nejad", "far", "doost", "abadi"]),
            NameOrigin.Spanish => Syllable(random, ["b", "c", "d", "g", "l", "m", "n", "p", "r", "s", "t", "v", "br", "cr", "gr", "pl"], ["a", "e", "i", "o", "u"], ["", "", "r", "l", "n", "s"])
                + Syllable(random, ["b", "d", "g", "l", "m", "n", "r", "t", "v", "ll", "rr"], ["a", "e", "i", "o"], [""]) + Pick(random, ["ez", "ado", "ino", "era", "ela", "ales", "ano", "ero"]),
            NameOrigin.Turkish => Syllable(random, ["b", "c", "d", "g", "k", "m", "s", "t", "y", "z"], ["a", "e", "i", "o", "u"], ["", "r", "l", "n", "k"])
                + Syllable(random, ["d", "g", "k", "l", "m", "n", "r", "t"], ["a", "e", "i", "o", "u"], ["", "n", "r", "k"]) + Pick(random, ["oglu", "er", "can", "han", "tas"]),
            NameOrigin.Chinese => Pick(random, ChineseSyllables) + Pick(random, ChineseSyllables).ToLowerInvariant(),
            _ => Syllable(random, ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "cl", "st", "tr", "gr"], ["a", "e", "i", "o", "u", "ai", "ea"], ["", "n", "l", "r", "s", "ck", "x"])
                + Syllable(random, ["b", "d", "g", "l", "m", "n", "r", "t", "v"], ["a", "e", "i", "o"], ["", "n", "r", "x", "s"]),
        };
        if (word.Length < 5)
        {
            word += Pick(random, ["ar", "en", "is", "on"]);
        }
        return char.ToUpperInvariant(word[0]) + word[1..];
    }

    private static readonly string[] ArabicConsonants = ["b", "d", "f", "h", "j", "k", "kh", "l", "m", "n", "q", "r", "s", "sh", "t", "z", "gh", "dh", "w"];

    private static readonly string[] RussianOnsets = ["b", "v", "g", "d", "zh", "z", "k", "l", "m", "n", "p", "r", "s", "t", "f", "kh", "ts", "ch", "sh", "br", "gr", "kr", "pr", "tr", "st", "sm", "vl", "dr"];

    private static string Syllable(Random random, string[] onsets, string[] vowels, string[] codas) =>
        Pick(random, onsets) + Pick(random, vowels) + Pick(random, codas);

    private static Draft Entity(Random random, long uid)
    {
        NameOrigin origin = ListOrigin(random);
        return new Draft(uid, SanctionsEntryType.Entity, origin, EntityName(random, origin), Programs(origin));
    }

    /// <summary>A company or organisation: distinctive words (made up or English), business words and a legal form, in the ways each region writes them.</summary>
    private static string EntityName(Random random, NameOrigin origin)
    {
        string Generic() => Unscore(Pick(random, Generics));
        string Legal() => Unscore(Pick(random, LegalForms));
        string Word() => random.Next(3) == 0 ? Pick(random, EnglishWords) : Root(random, origin);
        string name = origin switch
        {
            NameOrigin.Russian => random.Next(4) switch
            {
                0 => $"LIMITED LIABILITY COMPANY {Root(random, origin)} {Generic()}",
                1 => $"JOINT STOCK COMPANY {Root(random, origin)}",
                2 => $"OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU {Root(random, origin)}",
                _ => $"{Root(random, origin)}PROM OOO",
            },
            NameOrigin.Chinese => $"{Pick(random, ChineseCities)} {Root(random, origin)} {Generic()} CO., LTD.",
            NameOrigin.Spanish => random.Next(2) == 0 ? $"{Pick(random, ["INVERSIONES", "GRUPO", "COMERCIALIZADORA", "CONSTRUCTORA", "INMOBILIARIA"])} {Root(random, origin)} S.A. DE C.V." : $"{Word()} {Word()} LTDA",
            NameOrigin.Arabic => random.Next(3) == 0 ? $"AL-{Root(random, origin)} {Generic()} {Legal()}" : $"{Word()} {Root(random, origin)} {Generic()} {Legal()}",
            NameOrigin.Persian => random.Next(2) == 0 ? $"{Root(random, origin)} {Word()} {Generic()} COMPANY" : $"SHERKAT-E {Root(random, origin)} {Word()}",
            _ => random.Next(2) == 0 ? $"{Word()} {Word()} {Generic()} {Legal()}" : $"{Word()} {Generic()} {Legal()}",
        };
        return name.ToUpperInvariant();
    }

    private static string Vessel(Random random)
    {
        string name = random.Next(4) switch
        {
            0 => Pick(random, EnglishWords) + " " + Pick(random, EnglishWords),
            1 => Root(random, NameOrigin.Persian),
            2 => Root(random, ListOrigin(random)) + " " + random.Next(1, 10).ToString(CultureInfo.InvariantCulture),
            _ => Pick(random, EnglishWords) + " " + Root(random, NameOrigin.Western),
        };
        return name.ToUpperInvariant();
    }

    private static string Aircraft(Random random)
    {
        var mark = new StringBuilder(Pick(random, AircraftPrefixes)).Append('-');
        for (int i = 0; i < 3; i++)
        {
            mark.Append((char)('A' + random.Next(26)));
        }
        return mark.ToString();
    }

    /// <summary>A strong alias of <paramref name="draft"/>, different from its name: a spelling variant, a shortened form, or another name.</summary>
    private static string Alias(Random random, Draft draft)
    {
        switch (draft.Type)
        {
            case SanctionsEntryType.Individual:
                {
                    int kind = random.Next(20);
                    if (kind < 12 && Respelt(random, draft.Surname!, draft.Given!) is { } respelt && respelt != draft.Name)
                    {
                        return respelt;
                    }
                    if (kind < 15 && draft.Given!.Length > 1)
                    {
                        return ListForm(draft.Surname!, draft.Given[..1]);
                    }
                    (string[] surname, string[] given) = PersonWords(random, draft.Origin, MadeUpOnList);
                    // Another name altogether (a nom de guerre or a name used on other papers), sometimes keeping the surname.
                    return ListForm(random.Next(2) == 0 ? draft.Surname! : surname, given);
                }
            case SanctionsEntryType.Entity:
                {
                    int kind = random.Next(10);
                    string[] words = draft.Name.Split(' ');
                    if (kind < 4 && words.Length > 2 && NameNormalizer.Words(words[^1]) is [{ Class: NameWordClass.Filler }])
                    {
                        // Without its legal form, or with another one.
                        string shorter = string.Join(' ', words[..^1]).TrimEnd(',');
                        return random.Next(2) == 0 ? shorter : shorter + " " + Unscore(Pick(random, LegalForms));
                    }
                    if (kind < 7)
                    {
                        string respelt = string.Join(' ', words.Select(w => random.Next(2) == 0 ? Respell(random, w.ToLowerInvariant()).ToUpperInvariant() : w));
                        if (respelt != draft.Name)
                        {
                            return respelt;
                        }
                    }
                    return EntityName(random, draft.Origin);
                }
            case SanctionsEntryType.Vessel:
                return Vessel(random);
            default:
                return Aircraft(random);
        }
    }

    /// <summary>The person's name with one or two words spelt as another transliteration would spell them, or null when none can be.</summary>
    private static string? Respelt(Random random, string[] surname, string[] given)
    {
        string[] s = [.. surname], g = [.. given];
        int changes = 0;
        for (int attempt = 0; attempt < 4 && changes < 1 + random.Next(2); attempt++)
        {
            bool inSurname = random.Next(2) == 0;
            string[] words = inSurname ? s : g;
            int at = random.Next(words.Length);
            string respelt = string.Join(' ', words[at].Split(' ').Select(w => Respell(random, w.ToLowerInvariant())));
            if (!string.Equals(respelt, words[at], StringComparison.OrdinalIgnoreCase))
            {
                words[at] = char.ToUpperInvariant(respelt[0]) + respelt[1..];
                changes++;
            }
        }
        return changes == 0 ? null : ListForm(s, g);
    }

    /// <summary>One lower-case word as another transliteration writes it: a known variant, or one of the usual letter swaps.</summary>
    private static string Respell(Random random, string word)
    {
        if (Transliterations.TryGetValue(word, out string[]? known))
        {
            return Pick(random, known);
        }
        (string From, string To)[] rules =
        [
            ("yev", "ev"), ("kh", "h"), ("ou", "u"), ("ee", "i"), ("iy", "y"), ("sky", "ski"), ("ov", "off"), ("ch", "tch"),
            ("q", "k"), ("j", "dzh"), ("y", "i"), ("ss", "s"), ("al-", "el-"), ("al-", "al"), ("ei", "ey"), ("ia", "iya"),
        ];
        int start = random.Next(rules.Length);
        for (int r = 0; r < rules.Length; r++)
        {
            (string from, string to) = rules[(start + r) % rules.Length];
            int at = word.IndexOf(from, StringComparison.Ordinal);
            if (at >= 0)
            {
                return word[..at] + to + word[(at + from.Length)..];
            }
        }
        return word;
    }

    private static string? Acronym(string name)
    {
        string letters = string.Concat(name.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => char.IsAsciiLetter(w[0]) && NameNormalizer.Words(w) is [{ Class: NameWordClass.Distinctive }])
            .Select(w => w[0]));
        return letters.Length >= 2 ? letters : null;
    }

    /// <summary>
    /// The list name changed one way, as a client record might write it (capitalised as names are, which
    /// screening ignores): the words in another order, one letter of its longest word changed, or accents
    /// added. When the change asked for cannot be made (one word only; no word long enough to change a
    /// letter in) another is, and the variant says which.
    /// </summary>
    private static (string Name, string Variant) Variant(Random random, string listName, SanctionsEntryType type, string wanted)
    {
        string name = Capitalised(listName);
        if (wanted == "word order swapped")
        {
            if (type == SanctionsEntryType.Individual && name.IndexOf(',', StringComparison.Ordinal) is int comma and > 0)
            {
                // "Hassan, Muhammad Yusuf" as "Muhammad Yusuf Hassan".
                return (name[(comma + 1)..].Trim() + " " + name[..comma], wanted);
            }
            // An aircraft mark's two parts ("Ep-Pus" as "Pus-Ep"); otherwise the first two words.
            char separator = name.Contains(' ', StringComparison.Ordinal) ? ' ' : '-';
            string[] words = name.Split(separator, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 2)
            {
                (words[0], words[1]) = (words[1], words[0]);
                return (string.Join(separator, words), wanted);
            }
            wanted = "diacritics added";
        }
        if (wanted == "a letter changed")
        {
            if (LetterChanged(random, name) is { } changed)
            {
                return (changed, wanted);
            }
            wanted = "diacritics added";
        }
        string accented = Accented(random, name);
        return (accented, accented == name ? "unchanged (no letter takes an accent)" : wanted);
    }

    /// <summary>"AL-QAHTANI, Muhammad" as "Al-Qahtani, Muhammad": a capital at the start of each word, the rest small.</summary>
    private static string Capitalised(string name)
    {
        var text = new StringBuilder(name.Length);
        for (int i = 0; i < name.Length; i++)
        {
            bool first = i == 0 || !char.IsAsciiLetter(name[i - 1]) && name[i - 1] != '\'';
            text.Append(first ? char.ToUpperInvariant(name[i]) : char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }

    private const string Vowels = "aeiou";

    private const string PlainConsonants = "bdfglmnprstvz";

    /// <summary>
    /// One letter of the name's longest distinctive word (of at least five letters once spelt as the
    /// matcher keys it) changed: a vowel between two consonants to another vowel, or a plain consonant
    /// between two vowels to another, never the first letter: no letter pair the matcher folds ("kh",
    /// "ou") is made or broken, so one letter of the word's spelling key changes too, a misspelling the
    /// matcher is meant to forgive. (Not so for a given name the matcher folds through its table of known
    /// spellings: "Mostafa" is keyed "mustafa", "Mostofa" is not in the table and keeps its own key.)
    /// Null when no word allows the change.
    /// </summary>
    private static string? LetterChanged(Random random, string name)
    {
        var distinctive = NameNormalizer.Words(name).Where(w => w.Class == NameWordClass.Distinctive && !w.HasDigit).Select(w => w.Text).ToHashSet(StringComparer.Ordinal);
        int bestStart = -1, bestLength = 0;
        for (int i = 0; i < name.Length;)
        {
            if (!char.IsAsciiLetter(name[i]))
            {
                i++;
                continue;
            }
            int start = i;
            while (i < name.Length && char.IsAsciiLetter(name[i]))
            {
                i++;
            }
            string word = name[start..i].ToLowerInvariant();
            if (i - start > bestLength && distinctive.Contains(word) && NameNormalizer.Fold(word).Length >= 5)
            {
                bestStart = start;
                bestLength = i - start;
            }
        }
        if (bestStart < 0)
        {
            return null;
        }
        string lower = name.Substring(bestStart, bestLength).ToLowerInvariant();
        var positions = new List<int>();
        for (int p = 1; p < lower.Length - 1; p++)
        {
            bool vowel = Vowels.Contains(lower[p], StringComparison.Ordinal);
            bool Consonant(char c) => PlainConsonants.Contains(c, StringComparison.Ordinal);
            bool Vowel(char c) => Vowels.Contains(c, StringComparison.Ordinal);
            if (vowel ? Consonant(lower[p - 1]) && Consonant(lower[p + 1]) : Consonant(lower[p]) && Vowel(lower[p - 1]) && Vowel(lower[p + 1]))
            {
                positions.Add(p);
            }
        }
        if (positions.Count == 0)
        {
            return null;
        }
        int at = positions[random.Next(positions.Count)];
        string pool = Vowels.Contains(lower[at], StringComparison.Ordinal) ? Vowels : PlainConsonants;
        char replacement;
        do
        {
            replacement = pool[random.Next(pool.Length)];
        }
        while (replacement == lower[at]);
        return string.Concat(name.AsSpan(0, bestStart + at), replacement.ToString(), name.AsSpan(bestStart + at + 1));
    }

    private static readonly Dictionary<char, string> Accents = new()
    {
        ['a'] = "áàâäã",
        ['e'] = "éèêë",
        ['i'] = "íìîï",
        ['o'] = "óòôöõ",
        ['u'] = "úùûü",
        ['c'] = "çč",
        ['n'] = "ñń",
        ['s'] = "šş",
        ['z'] = "žż",
        ['y'] = "ý",
        ['r'] = "ř",
        ['g'] = "ğ",
        ['A'] = "ÁÀÂÄ",
        ['E'] = "ÉÈÊË",
        ['I'] = "ÍÎ",
        ['O'] = "ÓÔÖ",
        ['U'] = "ÚÜ",
        ['C'] = "ÇČ",
        ['N'] = "Ñ",
        ['S'] = "Š",
        ['Z'] = "Ž",
        ['Y'] = "Ý",
    };

    /// <summary>Accents on about a third of the letters that take one ("Muhammad Yusuf" as "Muhámmad Yüsuf"), at least one.</summary>
    private static string Accented(Random random, string name)
    {
        var text = new StringBuilder(name);
        int changed = 0, first = -1;
        for (int i = 0; i < text.Length; i++)
        {
            if (Accents.TryGetValue(text[i], out string? accented))
            {
                first = first < 0 ? i : first;
                if (random.Next(3) == 0)
                {
                    text[i] = accented[random.Next(accented.Length)];
                    changed++;
                }
            }
        }
        if (changed == 0 && first >= 0)
        {
            text[first] = Accents[text[first]][0];
        }
        return text.ToString();
    }

    /// <summary>An ordinary client: a person (85%) of the origins a broker's clients have, or a company.</summary>
    private static (string Name, NameOrigin Origin) Client(Random random)
    {
        if (random.Next(100) < 15)
        {
            string first = random.Next(4) == 0 ? Unscore(Pick(random, WesternSurnames)) : Pick(random, ClientCompanyWords);
            string name = random.Next(3) switch
            {
                0 => $"{first} {Pick(random, ClientCompanyGenerics)} {Pick(random, ClientLegalForms)}",
                1 => $"{first} {Pick(random, ClientCompanyWords)} {Pick(random, ClientCompanyGenerics)} {Pick(random, ClientLegalForms)}",
                _ => $"{first} & {Pick(random, ["Sons", "Partners", "Co"])} {Pick(random, ClientLegalForms)}",
            };
            return (name, NameOrigin.Company);
        }
        NameOrigin origin = random.Next(100) switch
        {
            < 52 => NameOrigin.Western,
            < 62 => NameOrigin.Spanish,
            < 68 => NameOrigin.Chinese,
            < 75 => NameOrigin.Indian,
            < 78 => NameOrigin.Japanese,
            < 80 => NameOrigin.Korean,
            < 88 => NameOrigin.Arabic,
            < 94 => NameOrigin.Russian,
            < 96 => NameOrigin.Persian,
            _ => NameOrigin.Turkish,
        };
        // Most clients of these origins have a surname outside the few hundred common ones above: about half are made up.
        int madeUpPercent = origin switch
        {
            NameOrigin.Spanish => 40,
            NameOrigin.Persian => 60,
            NameOrigin.Arabic or NameOrigin.Russian or NameOrigin.Turkish or NameOrigin.Western => 50,
            _ => 0,
        };
        (string[] surname, string[] given) = PersonWords(random, origin, madeUpPercent);
        // As a client record writes it: given names first; a middle name sometimes as an initial, the patronymic often left out.
        if (given.Length > 1 && random.Next(3) == 0)
        {
            given = origin == NameOrigin.Russian ? given[..1] : [given[0], given[1][..1] + "."];
        }
        return (string.Join(' ', given) + " " + Capitalised(string.Join(' ', surname)), origin);
    }
}
