-- Drives `quizgen lsp` from a real Neovim, headless, with Neovim's own LSP client
-- (vim.lsp.start_client, in Neovim 0.7 and later). Run by tests/test_lsp_neovim.py as
--   nvim --headless --clean -u NONE -c 'luafile tests/lsp_neovim.lua'
-- with QUIZGEN_NVIM_* in the environment; writes what it saw as JSON and quits.
local root = os.getenv("QUIZGEN_NVIM_ROOT")
local file = os.getenv("QUIZGEN_NVIM_FILE")
local out = os.getenv("QUIZGEN_NVIM_OUT")
local python = os.getenv("QUIZGEN_NVIM_PYTHON")
local wait = 20000
local seen = {}

local function finish()
  local handle = io.open(out, "w")
  handle:write(vim.fn.json_encode(seen))
  handle:close()
  vim.cmd("qa!")
end

local ok, problem = pcall(function()
  local client_id = vim.lsp.start_client({
    cmd = { python, "-m", "generator", "lsp" },
    root_dir = root,
    name = "quizgen",
  })
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local buffer = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buffer, client_id)
  local uri = vim.uri_from_bufnr(buffer)

  local function quote_problems()
    local found = {}
    for _, diagnostic in ipairs(vim.diagnostic.get(buffer)) do
      if diagnostic.message:find("quote not found", 1, true) then
        table.insert(found, diagnostic)
      end
    end
    return found
  end

  seen.flagged = vim.wait(wait, function() return #quote_problems() > 0 end, 20)
  local problem = quote_problems()[1]
  seen.diagnostic = { line = problem.lnum, col = problem.col, message = problem.message }

  -- Completion with the cursor just after '{{ ' in the answer.
  local lines = vim.api.nvim_buf_get_lines(buffer, 0, -1, false)
  for index, text in ipairs(lines) do
    local column = text:find("{{ ", 1, true)
    if column then
      local answers = vim.lsp.buf_request_sync(buffer, "textDocument/completion", {
        textDocument = { uri = uri },
        position = { line = index - 1, character = column + 2 },
      }, wait)
      seen.completion = {}
      for _, answer in pairs(answers or {}) do
        local items = answer.result and (answer.result.items or answer.result) or {}
        for _, item in ipairs(items) do table.insert(seen.completion, item.label) end
      end
      break
    end
  end

  -- The quick fix, asked for on the diagnostic's line, applied as Neovim applies edits.
  local client = vim.lsp.get_client_by_id(client_id)
  local actions = vim.lsp.buf_request_sync(buffer, "textDocument/codeAction", {
    textDocument = { uri = uri },
    range = {
      start = { line = problem.lnum, character = 0 },
      ["end"] = { line = problem.lnum, character = 0 },
    },
    context = { diagnostics = {} },
  }, wait)
  seen.actions = {}
  for _, answer in pairs(actions or {}) do
    for _, action in ipairs(answer.result or {}) do
      table.insert(seen.actions, action.title)
      if action.edit and not seen.applied then
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
        seen.applied = true
      end
    end
  end
  seen.cleared = vim.wait(wait, function() return #quote_problems() == 0 end, 20)
  seen.remaining = {}
  for _, diagnostic in ipairs(vim.diagnostic.get(buffer)) do
    table.insert(seen.remaining, diagnostic.message)
  end
  seen.lines = vim.api.nvim_buf_get_lines(buffer, 0, -1, false)
  seen.offset_encoding = client.offset_encoding
end)
if not ok then seen.error = tostring(problem) end
finish()
