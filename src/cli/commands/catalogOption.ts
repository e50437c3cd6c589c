import { loadCatalog, type Catalog } from '../../core/pricing/catalog';
import { CliError, readTextFile } from '../io';

/** The bundled catalog plus the user's --catalog files; any problem in them is a one-line error naming file and field. */
export function catalogFromOptions(files: readonly string[] | undefined): Catalog {
  const catalog = loadCatalog((files ?? []).map((file) => ({ file, text: readTextFile(file) })));
  const errors = catalog.issues.filter((i) => i.severity === 'error');
  if (errors.length) {
    const e = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    throw new CliError(`${e.file}: ${e.path}: ${e.message}${more}`);
  }
  return catalog;
}
