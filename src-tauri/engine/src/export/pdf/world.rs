//! The Typst "world" a notice is compiled in: one in-memory source file, the fonts shipped inside
//! this program and nothing else. No file system, no packages, no system fonts, no clock: the
//! same document gives the same pages on every machine.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Fonts and the standard library, built once per process: parsing the fonts is the slowest part
/// of a first compile, and sharing them lets Typst's caches work across documents.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// Font families shipped with the program, for the document's `set text(font: …)`.
pub(crate) const SERIF: &str = "Libertinus Serif";
pub(crate) const MONO: &str = "DejaVu Sans Mono";

/// One document to compile.
pub(crate) struct NoticeWorld {
    main: Source,
    today: Datetime,
}

impl NoticeWorld {
    pub(crate) fn new(markup: String, today: Datetime) -> Self {
        Self {
            main: Source::detached(markup),
            today,
        }
    }
}

impl World for NoticeWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
