namespace PaperBot.TestServices;

/// <summary>One paper of samples/digest-sample.txt as a reader sees it, copied by hand from the file.</summary>
/// <param name="Title">The section's title, its two lines joined where the section splits it.</param>
/// <param name="SummaryStart">The first words of the summary, and <paramref name="SummaryEnd"/> its last ones.</param>
/// <param name="Paragraphs">Paragraphs in the summary.</param>
public sealed record SamplePaper(
    int Number,
    string Title,
    string ArxivId,
    string PaperLink,
    string? CodeLink,
    string? ProjectLink,
    string SummaryStart,
    string SummaryEnd,
    int Paragraphs);

/// <summary>
/// The hand-written truth about the bundled sample issue, checked against the text, Markdown and JSON readers alike
/// (samples/digest-sample.txt, .md, .json). Nothing here is computed from the sample or from the code under test.
/// </summary>
public static class SampleDigest
{
    public const string Title = "本周值得关注的大模型 / AIGC 前沿研究";
    public const string Intro = "本周值得关注的大模型 / AIGC 前沿研究:";

    public static IReadOnlyList<SamplePaper> Papers { get; } =
    [
        new(1, "超越 Transformer:Google DeepMind 提出高效开放语言模型", "2404.07839",
            "https://arxiv.org/abs/2404.07839", null, null,
            "Google DeepMind 团队提出了 RecurrentGemma", "这两个模型都取得了与 Gemma-2B 相当的性能。", 2),
        new(2, "仅用 10 万美元!MIT 训了一个 Llama2 级的大模型", "2404.07413",
            "https://arxiv.org/abs/2404.07413", "https://github.com/myshell-ai/JetMoE", null,
            "大型语言模型(LLMs)已经取得了显著的成果", "这种透明度旨在鼓励在可访问和高效的 LLMs 领域的合作和进步。", 5),
        new(3, "英伟达推出音频、音乐理解对话数据集 Audio Dialogues", "2404.07616",
            "https://arxiv.org/abs/2404.07616", "https://audiodialogues.github.io/", null,
            "现有的音频理解数据集主要集中在单回合交互", "从而证明音频对话的复杂性和适用性。", 3),
        new(4, "微软、厦大、清华提出 Rho-1:不是所有 token 都是你需要的", "2404.07965",
            "https://arxiv.org/abs/2404.07965", "https://github.com/microsoft/rho", null,
            "以往的语言模型(LMs)预训练方法", "提高了语言模型预训练的效率和性能。", 4),
        new(5, "UC 伯克利提出 LLoCO:离线学习长上下文", "2404.07979",
            "https://arxiv.org/abs/2404.07979", null, null,
            "目前,由于自注意力机制的二次计算", "是一种高效的长文本问答解决方案。", 3),
        new(6, "BRAVE:让视觉语言模型不再“视而不见”", "2404.07204",
            "https://arxiv.org/abs/2404.07204", null, "https://brave-vlms.epfl.ch/",
            "视觉语言模型(VLM)通常由一个视觉编码器", "表示形式也更紧凑。", 4),
        new(7, "谷歌提出无限上下文 Transformer", "2404.07143",
            "https://arxiv.org/abs/2404.07143", null, null,
            "谷歌团队提出了一种高效的方法", "上证明了该方法的有效性。", 3),
        new(8, "华为新研究:用自主学习改进语言模型推理", "2404.07017",
            "https://arxiv.org/abs/2404.07017", null, null,
            "大规模的高质量训练数据对于提高模型的性能非常重要。", "甚至在某些数据集上优于 text-davinci-002。", 3),
        new(9, "微软、上交大推出 CoVoMix:实现多个对话者的多轮对话", "2404.06690",
            "https://arxiv.org/abs/2404.06690", null, null,
            "近来,零样本文本到语音(TTS)建模技术的进步", "和其他语言行为(如笑声)的特点。", 4),
        new(10, "Transformer 的可解释性会转移到 RNN 吗?", "2404.05971",
            "https://arxiv.org/abs/2404.05971", null, null,
            "目前,循环神经网络架构的最新进展", "利用 RNN 的压缩状态可以改进其中的一些技术。", 3),
        new(11, "苹果新研究 Ferret-UI:基于多模态 LLM 的移动 UI 理解", "2404.05719",
            "https://arxiv.org/abs/2404.05719", null, null,
            "最近,多模态大型语言模型(MLLMs)有一些新的进展。", "他们建立了一个包含上述所有任务的综合基准。", 6),
        new(12, "CT-LLM:仅 20 亿参数,基于中文的大型语言模型", "2404.04167",
            "https://arxiv.org/abs/2404.04167", null, null,
            "来自开源研究社区 Multimodal Art Projection", "然后将其应用于其他语言的模式。", 3),
        new(13, "Concept Weaver:在文本到图像模型中实现多概念融合", "2404.03913",
            "https://arxiv.org/abs/2404.03913", null, null,
            "虽然在定制“文生图”模型方面取得了重大进展", "而不会混合不同主体的外观。", 4),
        new(14, "微软研究院:让语言模型利用一般偏好进行自我改进", "2404.03715",
            "https://arxiv.org/abs/2404.03715", null, null,
            "这项工作研究了大型语言模型(LLMs)的后训练(post-training)", "包括 Mistral Large、Self-Rewarding LM(70B 参数)和旧版本的 GPT-4。", 5),
    ];

    public static SamplePaper Paper(int number) => Papers.Single(p => p.Number == number);

    /// <summary>The papers' numbers, titles, arXiv ids and links, a line each, for comparison with what a reader, the database or an API gives.</summary>
    public static IEnumerable<string> Rows => Papers.Select(p => Row(p.Number, p.Title, p.ArxivId, p.PaperLink, p.CodeLink, p.ProjectLink));

    public static string Row(int number, string? title, string? arxivId, string? paper, string? code, string? project) =>
        $"{number} | {title} | {arxivId} | {paper} | {code ?? "no code"} | {project ?? "no project"}";
}
