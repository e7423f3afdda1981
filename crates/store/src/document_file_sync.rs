//! Which documents' files this desk still has to exchange with the server
//! (see migration 0016 and the sync crate's `document_files`).

use crate::clock::now;
use crate::error::StoreResult;
use crate::Store;

impl Store {
    /// Up to `limit` files of standing documents not yet exchanged with the
    /// server, oldest document first.
    pub async fn document_files_to_sync(&self, limit: i64) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT d.sha256 FROM document d
             WHERE d.removed_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM document_file_sync s WHERE s.sha256 = d.sha256)
             GROUP BY d.sha256
             ORDER BY min(d.added_at)
             LIMIT ?",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    /// Notes that the file of `sha256` is both here and on the server.
    pub async fn document_file_synced(&self, sha256: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO document_file_sync (sha256, synced_at) VALUES (?, ?)
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(sha256)
        .bind(now())
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
