//! Central's event stream as a device reads it: any bytes, cut into
//! network reads at any places. The first byte picks the cuts; the rest is
//! the stream. Reading never panics, and what the device takes from the
//! stream does not depend on where the reads were cut.
#![no_main]

use futures::StreamExt;
use libfuzzer_sys::fuzz_target;
use motcua_api::events::{Block, read};
use sse_stream::SseByteStream;

/// Each block as the device reads it (with `retry:`), or the error that
/// ended the stream.
fn blocks(chunks: Vec<Vec<u8>>) -> Vec<Result<(Block, Option<u64>), String>> {
    let bytes = futures::stream::iter(
        chunks
            .into_iter()
            .map(|c| Ok::<_, std::io::Error>(bytes::Bytes::from(c))),
    );
    futures::executor::block_on(
        SseByteStream::new(bytes)
            .map(|b| {
                b.map(|sse| (read(sse.event.as_deref(), sse.data.as_deref()), sse.retry))
                    .map_err(|e| e.to_string())
            })
            .collect(),
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&cut, stream)) = data.split_first() else {
        return;
    };
    let whole = blocks(vec![stream.to_vec()]);
    // Cut every `step` bytes (1 to 16).
    let step = usize::from(cut % 16) + 1;
    let pieces = blocks(stream.chunks(step).map(<[u8]>::to_vec).collect());
    assert_eq!(whole, pieces);
});
