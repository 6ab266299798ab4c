namespace PaperBot.WeChat;

/// <summary>
/// MsgId identifies the mass-send job (the MASSSENDJOBFINISH event reports on it later);
/// MsgDataId the published content, present for news (mpnews) sends.
/// </summary>
public sealed record WeChatMassSendResult(long MsgId, long? MsgDataId);
