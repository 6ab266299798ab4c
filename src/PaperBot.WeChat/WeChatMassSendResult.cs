namespace PaperBot.WeChat;

/// <summary>
/// MsgId identifies the mass-send job (the MASSSENDJOBFINISH event reports on it later);
/// MsgDataId the published content, present for news (mpnews) sends. <see cref="AlreadySent"/>: the clientmsgid was
/// used within 24 hours (errcode 45065), so this call sent nothing and <see cref="MsgId"/> is the earlier send's.
/// </summary>
public sealed record WeChatMassSendResult(long MsgId, long? MsgDataId, bool AlreadySent = false);
