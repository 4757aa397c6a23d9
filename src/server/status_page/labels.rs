//! The status page's words in each site language (`[site] language`), one row per label with
//! both languages side by side, so a label cannot exist in one language only. The templates
//! name labels as `t.key`; an unknown key fails rendering (and the tests).

use std::collections::BTreeMap;

use crate::model::Language;

/// `(key, English, Traditional Chinese)`.
const LABELS: &[(&str, &str, &str)] = &[
    ("status", "Status", "狀態"),
    ("log_in", "Log in", "登入"),
    ("log_out", "Log out", "登出"),
    ("admin_token", "Admin token", "管理權杖"),
    (
        "login_hint",
        "The token serve runs with (SYNDICATOR_ADMIN_TOKEN).",
        "serve 執行時使用的權杖（SYNDICATOR_ADMIN_TOKEN）。",
    ),
    ("wrong_token", "That is not the admin token.", "這不是管理權杖。"),
    (
        "too_many_failures",
        "Too many failed logins; try again in a minute.",
        "登入失敗次數過多，請一分鐘後再試。",
    ),
    ("channels", "Channels", "頻道"),
    ("channel", "Channel", "頻道"),
    ("platforms", "Platforms", "平台"),
    ("last_poll", "Last poll", "上次輪詢"),
    ("result", "Result", "結果"),
    ("next_run", "Next run", "下次執行"),
    ("backoff", "Backing off", "退避中"),
    ("failures", "failure(s), next try", "次失敗，下次重試"),
    ("last_error", "Last error", "最近錯誤"),
    ("sync_now", "Sync now", "立即同步"),
    ("sync_started", "Sync started:", "已開始同步："),
    ("never", "never", "從未"),
    ("recent_stubs", "Newest stubs", "最新草稿"),
    ("no_stubs", "No stubs yet.", "尚無草稿。"),
    ("published", "Published", "發布時間"),
    ("title", "Title", "標題"),
    ("file", "File", "檔案"),
    ("has", "Has", "已有"),
    ("missing", "Missing", "尚缺"),
    ("pending", "Embeds waiting to be pasted", "待貼上的嵌入碼"),
    (
        "pending_hint",
        "Their authors edited these stubs, so syndicator leaves them alone: paste these lines yourself.",
        "這些草稿已由作者修改，syndicator 不再改動：請自行貼上以下各行。",
    ),
    ("nothing_pending", "Nothing waiting.", "沒有待貼上的內容。"),
    ("copy", "Copy", "複製"),
    ("copied", "Copied", "已複製"),
    ("copy_selected", "Selected: press Ctrl+C", "已選取：請按 Ctrl+C"),
    ("websub", "WebSub subscriptions", "WebSub 訂閱"),
    ("no_subscriptions", "No subscriptions.", "沒有訂閱。"),
    ("hub", "Hub and topic", "Hub 與主題"),
    ("state", "State", "狀態"),
    ("lease_expires", "Lease expires", "租約到期"),
    ("last_notification", "Last notification", "上次推播"),
    ("feeds", "Feeds", "訂閱源"),
    ("feeds_error", "The feeds cannot be rebuilt:", "訂閱源無法重建："),
    ("refused", "Refused", "已拒絕"),
    ("log_in_first", "Log in first.", "請先登入。"),
    ("cross_site", "This request came from another site and was refused.", "此請求來自其他網站，已拒絕。"),
    (
        "stale_form",
        "This form is out of date: reload the status page and try again.",
        "表單已過期：請重新載入狀態頁再試一次。",
    ),
    ("unknown_channel", "There is no such channel.", "沒有這個頻道。"),
    ("shutting_down", "syndicator is shutting down.", "syndicator 正在關閉。"),
    ("failed", "The status could not be read:", "無法讀取狀態："),
    ("back", "Back to the status page", "回到狀態頁"),
];

/// Every label in `language`, by key.
pub fn labels(language: Language) -> BTreeMap<&'static str, &'static str> {
    LABELS
        .iter()
        .map(|(key, en, zh_tw)| match language {
            Language::En => (*key, *en),
            Language::ZhTw => (*key, *zh_tw),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_is_in_both_languages_and_keys_are_unique() {
        let (en, zh_tw) = (labels(Language::En), labels(Language::ZhTw));
        assert_eq!(en.len(), LABELS.len(), "no key twice");
        assert!(en.values().chain(zh_tw.values()).all(|text| !text.trim().is_empty()));
        assert_eq!((en["log_in"], zh_tw["log_in"]), ("Log in", "登入"));
    }
}
