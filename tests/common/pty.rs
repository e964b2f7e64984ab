//! The real binary in a pseudo-terminal: keys in, a VT parser's screen and the raw bytes
//! out. Every wait is bounded.

use std::io::{Read, Write};
use std::num::NonZero;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

pub const DEADLINE: Duration = Duration::from_secs(20);
pub const BIN: &str = env!("CARGO_BIN_EXE_coopnews");

pub struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    /// Set when the terminal side has nothing more to read: the program is gone.
    drained: Arc<AtomicBool>,
    keys: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
}

impl Session {
    /// Start `coopnews ARGS` in a `cols`×`rows` terminal, in `cwd`, with extra environment.
    pub fn start(args: &[&str], env: &[(&str, &str)], cwd: &Path, cols: u16, rows: u16) -> Session {
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pty = native_pty_system().openpty(size).expect("open a pty");
        let mut command = CommandBuilder::new(BIN);
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env("NO_PROXY", "127.0.0.1");
        command.env("TZ", "UTC");
        command.env_remove("NO_COLOR");
        // English unless the test says otherwise, whatever the machine's locale.
        for var in super::LOCALE_VARS {
            command.env_remove(var);
        }
        command.env("LANG", "C");
        for (key, value) in env {
            command.env(key, value);
        }
        command.cwd(cwd);
        let child = pty.slave.spawn_command(command).expect("start coopnews");
        drop(pty.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            NonZero::new(rows).unwrap(),
            NonZero::new(cols).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let drained = Arc::new(AtomicBool::new(false));
        let mut reader = pty.master.try_clone_reader().unwrap();
        {
            let (parser, raw, drained) =
                (Arc::clone(&parser), Arc::clone(&raw), Arc::clone(&drained));
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    raw.lock().unwrap().extend_from_slice(&buf[..n]);
                    parser.lock().unwrap().process(&buf[..n]);
                }
                drained.store(true, Ordering::SeqCst);
            });
        }
        let keys = pty.master.take_writer().unwrap();
        // The master must outlive the session, or the child sees a hangup.
        std::mem::forget(pty.master);
        Session {
            parser,
            raw,
            drained,
            keys,
            child,
        }
    }

    pub fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Everything the program wrote to the terminal so far.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// Wait until `needle` is on screen, or fail showing what is.
    pub fn wait_for(&self, needle: &str) {
        let start = Instant::now();
        while start.elapsed() < DEADLINE {
            if self.text().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "`{needle}` did not appear within {DEADLINE:?}; the screen:\n{}",
            self.text()
        );
    }

    pub fn press(&mut self, keys: &str) {
        self.keys.write_all(keys.as_bytes()).unwrap();
        self.keys.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }

    pub fn pid(&self) -> i32 {
        self.child.process_id().expect("a running child") as i32
    }

    /// Wait for the program to end and for everything it wrote to be read; its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        let code = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status.exit_code();
            }
            assert!(start.elapsed() < DEADLINE, "coopnews did not end");
            std::thread::sleep(Duration::from_millis(50));
        };
        while !self.drained.load(Ordering::SeqCst) {
            assert!(start.elapsed() < DEADLINE, "the terminal was not drained");
            std::thread::sleep(Duration::from_millis(10));
        }
        code
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}
