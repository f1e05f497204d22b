namespace Rebind.Core.Security;

/// <summary>
/// The only security questions an account can set, by stable id, in both languages. Accounts pick exactly
/// <see cref="SecurityAnswers.QuestionsPerAccount"/> of them; decoys for unknown identifiers are drawn from the same
/// list, so no question shown can tell a real account from a decoy (docs/flows.md, "Security-question decoys").
/// Ids are part of the API: add entries, never rename or remove one (an account may hold it).
/// </summary>
public static class SecurityQuestionCatalogue
{
    private static readonly (string Id, string En, string Zh)[] Entries =
    [
        ("first_pet", "What was the name of your first pet?", "您第一只宠物的名字是什么？"),
        ("birth_city", "In what city were you born?", "您的出生城市是哪里？"),
        ("primary_school", "What was the name of your primary school?", "您小学的校名是什么？"),
        ("childhood_street", "What is the name of the street you grew up on?", "您童年居住的街道叫什么名字？"),
        ("childhood_nickname", "What was your childhood nickname?", "您童年的小名是什么？"),
        ("favourite_teacher", "What was the surname of your favourite teacher?", "您最喜欢的老师姓什么？"),
        ("first_car", "What was the make of your first car?", "您第一辆车是什么品牌？"),
        ("parents_met_city", "In what city did your parents meet?", "您父母是在哪个城市相识的？"),
        ("favourite_book", "What is the title of your favourite book?", "您最喜欢的书叫什么名字？"),
        ("first_job_company", "What was the name of the company of your first job?", "您第一份工作的公司叫什么名字？"),
        ("best_friend_childhood", "What was the first name of your childhood best friend?", "您童年最好的朋友叫什么名字？"),
        ("first_concert", "Who performed at the first concert you attended?", "您看的第一场演唱会是谁的？"),
    ];

    private static readonly Dictionary<string, int> Order =
        Entries.Select((e, i) => (e.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);

    /// <summary>Every id, in catalogue order.</summary>
    public static IReadOnlyList<string> Ids { get; } = Entries.Select(e => e.Id).ToArray();

    public static bool Contains(string? id) => id is not null && Order.ContainsKey(id);

    /// <summary>Position in the catalogue: questions are always shown in this order, whoever chose them.</summary>
    public static int IndexOf(string id) => Order.TryGetValue(id, out var index) ? index : int.MaxValue;

    /// <summary>The question's text in <paramref name="culture"/> (<c>zh-CN</c> or English).</summary>
    public static string Text(string id, string culture)
    {
        var entry = Entries[Order[id]];
        return culture == Cultures.Chinese ? entry.Zh : entry.En;
    }
}
