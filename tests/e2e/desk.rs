//! One running MultiPMS desk: the real binary opened by tauri-driver on a
//! data folder of the test's choosing, and the verbs a person uses on it.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::display::display;

/// How long a person would wait for something to show before calling it broken.
const PATIENCE: Duration = Duration::from_secs(15);

/// E2E tests run one desk at a time: WebKit is heavy on a two-core machine.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub struct Desk {
    client: Option<Client>,
    driver: Child,
    test_name: String,
    _turn: Option<tokio::sync::MutexGuard<'static, ()>>,
}

pub fn app_binary() -> &'static str {
    env!("CARGO_BIN_EXE_multipms")
}

pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("e2e-screenshots");
    std::fs::create_dir_all(&dir).expect("cannot create target/e2e-screenshots");
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free loopback port")
}

fn tauri_driver() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(path);
    }
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .map(|home| home.join("bin").join("tauri-driver"));
    match cargo_bin {
        Some(path) if path.exists() => path,
        _ => PathBuf::from("tauri-driver"),
    }
}

fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        panic!("text with both quote kinds is not supported in locators: {text}")
    }
}

impl Desk {
    /// Opens the app on `data_dir` and waits for its window's page to load.
    pub async fn open(test_name: &str, data_dir: &Path) -> Desk {
        let turn = ONE_AT_A_TIME.lock().await;
        Desk::open_with(test_name, data_dir, Some(turn)).await
    }

    /// Opens a second app window beside one already open (another desk on
    /// its own data folder), under the first one's turn.
    pub async fn open_beside(_first: &Desk, test_name: &str, data_dir: &Path) -> Desk {
        Desk::open_with(test_name, data_dir, None).await
    }

    async fn open_with(
        test_name: &str,
        data_dir: &Path,
        turn: Option<tokio::sync::MutexGuard<'static, ()>>,
    ) -> Desk {
        let port = free_port();
        let native_port = free_port();
        let mut driver_args = vec![
            "--port".to_string(),
            port.to_string(),
            "--native-port".to_string(),
            native_port.to_string(),
        ];
        if Path::new("/usr/bin/WebKitWebDriver").exists() {
            driver_args.extend(["--native-driver".into(), "/usr/bin/WebKitWebDriver".into()]);
        }
        // tauri-driver runs under a shell watchdog in its own process group:
        // the group (driver, WebKitWebDriver, the app) is killed when the
        // desk is dropped, and the watchdog ends it if this process dies first.
        let quoted: Vec<String> = std::iter::once(tauri_driver().display().to_string())
            .chain(driver_args)
            .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
            .collect();
        let script = format!(
            "{} & d=$!; while kill -0 {pid} 2>/dev/null && kill -0 $d 2>/dev/null; do sleep 0.5; done; kill $d 2>/dev/null",
            quoted.join(" "),
            pid = std::process::id()
        );
        let log_path = screenshot_dir().join(format!("{test_name}-driver.log"));
        let log = std::fs::File::create(&log_path).expect("create the driver log");
        // Files the app saves land here instead of a native save dialog.
        let saved = data_dir.join("saved");
        std::fs::create_dir_all(&saved).expect("create the saved-files folder");
        // "Add files…" picks whatever a test has put here.
        let to_add = data_dir.join("to-add");
        std::fs::create_dir_all(&to_add).expect("create the files-to-add folder");
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(script)
            .env("DISPLAY", display())
            .env("MULTIPMS_DATA_DIR", data_dir)
            .env("MULTIPMS_SAVE_DIR", &saved)
            .env("MULTIPMS_PICK_FILES", &to_add)
            .env("MULTIPMS_KEY_STORE", "file")
            // No keyring under Xvfb: the sync session stays in memory.
            .env("MULTIPMS_TOKEN_STORE", "memory")
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("driver log"))
            .stderr(log);
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            command.process_group(0);
        }
        let driver = command.spawn().unwrap_or_else(|e| {
            panic!(
                "could not start tauri-driver ({e}); install it with `cargo install --locked tauri-driver`"
            )
        });
        let mut desk = Desk {
            client: None,
            driver,
            test_name: test_name.to_string(),
            _turn: turn,
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < PATIENCE,
                "tauri-driver did not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("wry"));
        capabilities.insert(
            "tauri:options".into(),
            json!({ "application": app_binary() }),
        );
        let client = ClientBuilder::native()
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("WebDriver session with the MultiPMS window");
        desk.client = Some(client);
        desk.wait_for_xpath(
            "//main[not(.//*[contains(@class,'loading')])]",
            "the app to load",
        )
        .await;
        desk
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("the desk is open")
    }

    async fn wait_for_xpath(&self, xpath: &str, what: &str) -> Element {
        self.client()
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(xpath))
            .await
            .unwrap_or_else(|e| panic!("waited {PATIENCE:?} for {what}, it never showed: {e}"))
    }

    /// The input whose label reads `label`.
    pub async fn field(&self, label: &str) -> Element {
        let lit = xpath_literal(label);
        let label_el = self
            .wait_for_xpath(
                &format!("//label[normalize-space(.)={lit}]"),
                &format!("a field labelled {label:?}"),
            )
            .await;
        let id = label_el
            .attr("for")
            .await
            .expect("label's for attribute")
            .unwrap_or_else(|| panic!("label {label:?} is not tied to an input (no `for`)"));
        self.client()
            .find(Locator::Id(&id))
            .await
            .unwrap_or_else(|_| panic!("label {label:?} points at #{id}, which does not exist"))
    }

    /// Types `text` into the field labelled `label`, replacing what was there.
    pub async fn fill(&self, label: &str, text: &str) {
        let field = self.field(label).await;
        self.bring_into_view(&field).await;
        field.clear().await.expect("clear the field");
        if !text.is_empty() {
            field.send_keys(text).await.expect("type into the field");
        }
    }

    /// Clicks the button named `name` (its text or aria-label).
    pub async fn click(&self, name: &str) {
        let lit = xpath_literal(name);
        let xpath = format!("//button[normalize-space(.)={lit} or @aria-label={lit}]");
        let started = Instant::now();
        loop {
            let button = self
                .wait_for_xpath(&xpath, &format!("a button named {name:?}"))
                .await;
            let pressed = match self.scroll_into_view(&button).await {
                Ok(()) => button.click().await,
                Err(e) => Err(e),
            };
            match pressed {
                Ok(()) => return,
                // A list drawn again as the user types (search as you
                // type) may replace the button between finding and
                // pressing it: a person presses the new one.
                Err(e) if e.is_stale_element_reference() && started.elapsed() < PATIENCE => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("click the button {name:?}: {e}"),
            }
        }
    }

    /// Scrolls `element` to the middle of its scrolling box, as a person
    /// scrolls to a button before pressing it.
    async fn bring_into_view(&self, element: &Element) {
        self.scroll_into_view(element)
            .await
            .expect("scroll the element into view");
    }

    async fn scroll_into_view(&self, element: &Element) -> Result<(), fantoccini::error::CmdError> {
        let reference = serde_json::to_value(element).expect("element reference");
        self.client()
            .execute(
                "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});",
                vec![reference],
            )
            .await
            .map(|_| ())
    }

    /// Waits until `text` is visible somewhere in the window.
    pub async fn sees(&self, text: &str) {
        let lit = xpath_literal(text);
        let started = Instant::now();
        loop {
            let found = self
                .client()
                .find_all(Locator::XPath(&format!(
                    "//body//*[contains(normalize-space(.), {lit})]"
                )))
                .await
                .expect("search the page");
            for el in found {
                if el.is_displayed().await.unwrap_or(false) {
                    return;
                }
            }
            if started.elapsed() > PATIENCE {
                let body = self.page_text().await;
                panic!("waited {PATIENCE:?} to see {text:?}; the window shows:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The error message shown for the field labelled `label`.
    pub async fn error_for(&self, label: &str) -> String {
        let field = self.field(label).await;
        let id = field
            .attr("id")
            .await
            .expect("id")
            .expect("field has an id");
        let slot = self
            .wait_for_xpath(
                &format!("//*[@id='{id}-error' and normalize-space(.)!='']"),
                &format!("an error message under {label:?}"),
            )
            .await;
        slot.text().await.expect("error text")
    }

    /// The visible text of an element by its `data-testid`.
    pub async fn text_of(&self, test_id: &str) -> String {
        self.client()
            .find(Locator::Css(&format!("[data-testid='{test_id}']")))
            .await
            .unwrap_or_else(|_| panic!("nothing with data-testid={test_id}"))
            .text()
            .await
            .expect("element text")
    }

    /// The visible text of the first element matching a CSS selector.
    pub async fn text(&self, css: &str) -> String {
        self.client()
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("nothing matches {css}: {e}"))
            .text()
            .await
            .expect("element text")
    }

    /// Scrolls the first element matching a CSS selector into view, as a
    /// person scrolls down to read it.
    pub async fn scroll_to(&self, css: &str) {
        let element = self
            .client()
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("nothing matches {css}: {e}"));
        self.bring_into_view(&element).await;
    }

    /// The `name` attribute of the first element matching a CSS selector,
    /// waiting for the element to appear.
    pub async fn attribute(&self, css: &str, name: &str) -> Option<String> {
        self.client()
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("nothing matches {css}: {e}"))
            .attr(name)
            .await
            .expect("element attribute")
    }

    /// How many elements match a CSS selector now.
    pub async fn count(&self, css: &str) -> usize {
        self.client()
            .find_all(Locator::Css(css))
            .await
            .map(|found| found.len())
            .unwrap_or(0)
    }

    /// Chooses the option whose value is `value` in the select labelled
    /// `label`.
    pub async fn choose_select(&self, label: &str, value: &str) {
        let select = self.field(label).await;
        self.bring_into_view(&select).await;
        select
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("choose {value:?} in {label:?}: {e}"));
    }

    /// Chooses the option reading `text` in the select labelled `label`.
    pub async fn choose_select_text(&self, label: &str, text: &str) {
        let select = self.field(label).await;
        self.bring_into_view(&select).await;
        select
            .select_by_label(text)
            .await
            .unwrap_or_else(|e| panic!("choose {text:?} in {label:?}: {e}"));
    }

    /// Picks the option (role=option) whose text contains `text`.
    pub async fn choose_option(&self, text: &str) {
        let lit = xpath_literal(text);
        let xpath = format!("//*[@role='option' and contains(normalize-space(.), {lit})]");
        let started = Instant::now();
        // The list is redrawn as search results arrive: an option found a
        // moment ago may be gone, so find it again until a click lands.
        loop {
            let option = self
                .wait_for_xpath(&xpath, &format!("an option reading {text:?}"))
                .await;
            match option.click().await {
                Ok(()) => return,
                Err(e) if started.elapsed() < PATIENCE => {
                    eprintln!("option {text:?} was redrawn ({e}); trying again");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("click the option {text:?}: {e}"),
            }
        }
    }

    /// Presses Ctrl with `key` on whatever has the focus (e.g. Ctrl+K).
    pub async fn press_ctrl(&self, key: char) {
        let focused = self
            .client()
            .active_element()
            .await
            .expect("the focused element");
        // U+E009 is WebDriver's Control; it stays held for the rest of the keys.
        focused
            .send_keys(&format!("\u{E009}{key}"))
            .await
            .expect("press the keys");
    }

    /// Types into whatever has the focus; `\n` presses Enter.
    pub async fn type_keys(&self, text: &str) {
        let text = text.replace('\n', "\u{E007}");
        self.client()
            .active_element()
            .await
            .expect("the focused element")
            .send_keys(&text)
            .await
            .expect("type");
    }

    pub async fn page_text(&self) -> String {
        match self.client().find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(e) => format!("(page unreadable: {e})"),
        }
    }

    /// Saves what the screen shows, as a person sees it (the X screen, via
    /// ImageMagick's `import`), to target/e2e-screenshots/NAME.png.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let path = screenshot_dir().join(format!("{name}.png"));
        capture_screen(&path);
        assert!(
            path.exists(),
            "no screenshot was written to {}",
            path.display()
        );
        path
    }

    /// Closes the app the way its window's close does, and ends the driver.
    pub async fn quit(mut self) {
        if let Some(client) = self.client.take() {
            client.close().await.expect("end the WebDriver session");
        }
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let path = screenshot_dir().join(format!("{}-failure.png", self.test_name));
            capture_screen(&path);
            eprintln!("failure screenshot: {}", path.display());
        }
        let pgid = self.driver.id();
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pgid}")])
            .status();
        let _ = self.driver.wait();
    }
}

/// Captures the whole X screen to `path` with ImageMagick's `import`.
fn capture_screen(path: &Path) {
    let status = Command::new("import")
        .args(["-display", display(), "-window", "root"])
        .arg(path)
        .stdin(Stdio::null())
        .status();
    if !matches!(status, Ok(s) if s.success()) {
        eprintln!(
            "could not capture the screen to {}: {status:?}",
            path.display()
        );
    }
}
