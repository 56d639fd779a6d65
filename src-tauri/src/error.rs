//! The app's error: engine errors plus the few the app adds (dialogs, no template open). It
//! serializes as [`crate::model::ErrorPayload`] so the UI classifies errors by `kind`.

use notice_engine::EngineError;

use crate::model::ErrorPayload;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// A native dialog could not be shown.
    #[error("the file dialog could not be shown: {0}")]
    Dialog(String),
    /// A command that needs an open template ran without one.
    #[error("no template is open")]
    NoTemplate,
    /// A workspace command ran with no workspace open.
    #[error("no workspace is open: open a folder with templates/ and tenants/")]
    NoWorkspace,
    /// A tenant the UI named is not in the workspace (renamed or deleted on disk).
    #[error("tenant `{0}` is not in the workspace any more; it may have been renamed or deleted")]
    NotFound(String),
    /// A comparison with the last export found none to compare with (the message says why).
    #[error("{0}")]
    NoExport(String),
    /// The UI sent a value the command cannot use (the message says which).
    #[error("{0}")]
    Invalid(String),
    /// Approving needs a reviewer set up first.
    #[error("no reviewer is set up: choose Reviewer… and enter your name and email first")]
    NoReviewer,
}

impl AppError {
    /// The payload the UI receives.
    pub fn payload(&self) -> ErrorPayload {
        match self {
            AppError::Engine(e) => ErrorPayload {
                kind: e.kind().to_owned(),
                message: e.to_string(),
                path: e.path().map(|p| p.display().to_string()),
                line: e.line(),
                column: e.column(),
                diagnostics: e.diagnostics().to_vec(),
            },
            AppError::Dialog(_) => simple("dialog", self.to_string()),
            AppError::NoTemplate => simple("no-template", self.to_string()),
            AppError::NoWorkspace => simple("no-workspace", self.to_string()),
            AppError::NotFound(_) => simple("not-found", self.to_string()),
            AppError::NoExport(_) => simple("no-export", self.to_string()),
            AppError::Invalid(_) => simple("invalid", self.to_string()),
            AppError::NoReviewer => simple("no-reviewer", self.to_string()),
        }
    }
}

fn simple(kind: &str, message: String) -> ErrorPayload {
    ErrorPayload {
        kind: kind.to_owned(),
        message,
        path: None,
        line: None,
        column: None,
        diagnostics: vec![],
    }
}

impl serde::Serialize for AppError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.payload().serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_keep_kind_path_and_position() {
        let e = AppError::from(EngineError::Json {
            path: "acme.json".into(),
            line: 3,
            column: 5,
            message: "expected value".into(),
        });
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "json");
        assert_eq!(v["path"], "acme.json");
        assert_eq!(
            (v["line"].as_u64(), v["column"].as_u64()),
            (Some(3), Some(5))
        );
        assert!(v["message"].as_str().unwrap().starts_with("acme.json:3:5"));
        let v = serde_json::to_value(AppError::NoTemplate).unwrap();
        assert_eq!(v["kind"], "no-template");
    }
}
